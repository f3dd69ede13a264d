/**
 * A loopback stand-in for the Anthropic Messages API, so the real Claude Code CLI can run offline with a
 * scripted model (technique: ../shared/CLAUDE-CODE.md, "Running the real CLI in tests, offline").
 *
 * Claude Code POSTs `/v1/messages?beta=true` with `stream: true` and reads server-sent events
 * (`message_start`, `content_block_start/delta/stop`, `message_delta` with `stop_reason`, `message_stop`).
 * Each reply is chosen by a {@link Script}: a function of the parsed request body, so a script can look at
 * the system prompt (a subagent's request carries its agent body as system prompt) or at the last
 * `tool_result` and decide what the "model" does next. Every request is recorded; unknown endpoints get a
 * sensible empty answer and are logged in {@link StandIn.unknown}.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One content block the scripted model returns. `tool_use` ids are generated when left out. */
export type Block = { type: 'text'; text: string } | { type: 'tool_use'; name: string; input: unknown; id?: string };

/** A scripted reply: content blocks; the stop reason is `tool_use` when any block is a tool call, else `end_turn`. */
export interface Turn {
  blocks: Block[];
}

/** A Messages API request as Claude Code sent it (the parsed JSON body plus where it came from). */
export interface RecordedRequest {
  /** Sequence number (0-based) over the server's lifetime. */
  seq: number;
  /** When the request arrived (`Date.now()`, ms). */
  at: number;
  method: string;
  /** Path with query string, e.g. `/v1/messages?beta=true`. */
  url: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body (`model`, `system`, `messages`, `tools`, `stream`, ...), or `undefined` for non-JSON. */
  body: MessagesBody | undefined;
}

/** The parts of a Messages request body the tests read. */
export interface MessagesBody {
  model?: string;
  stream?: boolean;
  system?: string | Array<{ type: string; text: string }>;
  /**
   * The conversation. `system` messages appear inside it too (seen on 2.1.197 and 2.1.329): the environment and
   * agent-type listing, and the `<task-notification>`s of background agents that finished during a tool call.
   */
  messages: Array<{ role: 'user' | 'assistant' | 'system'; content: string | ContentBlock[] }>;
  tools?: Array<{ name: string; description?: string; input_schema?: unknown }>;
  max_tokens?: number;
  [key: string]: unknown;
}

/** A content block inside a request message. */
export interface ContentBlock {
  type: string;
  text?: string;
  id?: string;
  name?: string;
  input?: unknown;
  tool_use_id?: string;
  content?: string | Array<{ type: string; text?: string }>;
  is_error?: boolean;
}

/** Decides the model's reply to one `/v1/messages` request. Return `undefined` for the default (a short text). */
export type Script = (body: MessagesBody, req: RecordedRequest) => Turn | undefined;

/** A running stand-in. `close()` stops it; `requests` grows as Claude Code calls it. */
export interface StandIn {
  /** `http://127.0.0.1:PORT` — pass as `ANTHROPIC_BASE_URL`. */
  url: string;
  requests: RecordedRequest[];
  /** Requests to endpoints the stand-in does not implement (method + url), answered with `{}`. */
  unknown: string[];
  /** Replace the script (e.g. between two `claude` runs on one server). */
  setScript(script: Script): void;
  close(): Promise<void>;
}

/** Text of the system prompt, whether sent as a string or as text blocks. */
export function systemText(body: MessagesBody): string {
  if (typeof body.system === 'string') return body.system;
  return (body.system ?? []).map((b) => b.text ?? '').join('\n');
}

/** Text of a message's content (text blocks and tool_result contents joined). */
export function contentText(content: string | ContentBlock[]): string {
  if (typeof content === 'string') return content;
  return content
    .map((b) => {
      if (b.type === 'text') return b.text ?? '';
      if (b.type === 'tool_result') return typeof b.content === 'string' ? b.content : (b.content ?? []).map((c) => c.text ?? '').join('\n');
      return '';
    })
    .join('\n');
}

/** The `tool_result` blocks of the last user message (what the previous scripted tool calls produced). */
export function lastToolResults(body: MessagesBody): ContentBlock[] {
  const last = body.messages[body.messages.length - 1];
  if (!last || last.role !== 'user' || typeof last.content === 'string') return [];
  return last.content.filter((b) => b.type === 'tool_result');
}

/**
 * The tool_result blocks answering the last assistant message's tool calls, in the order of the calls.
 * Unlike {@link lastToolResults} this survives Claude Code adding a text-only user message after the results
 * (seen on 2.1.329: "The user hasn't heard from you in a while..." after long subagent waves).
 */
export function resultsOfLastTurn(body: MessagesBody): ContentBlock[] {
  let last = -1;
  body.messages.forEach((m, i) => {
    if (m.role === 'assistant') last = i;
  });
  if (last < 0) return [];
  const calls = body.messages[last]!.content;
  if (typeof calls === 'string') return [];
  const ids = calls.filter((b) => b.type === 'tool_use').map((b) => b.id);
  const results = new Map<string, ContentBlock>();
  for (const m of body.messages.slice(last + 1)) {
    if (typeof m.content === 'string') continue;
    for (const b of m.content) if (b.type === 'tool_result' && b.tool_use_id) results.set(b.tool_use_id, b);
  }
  return ids.flatMap((id) => (id && results.has(id) ? [results.get(id)!] : []));
}

/** Number of assistant turns already in the conversation (0 on the first request). */
export function assistantTurns(body: MessagesBody): number {
  return body.messages.filter((m) => m.role === 'assistant').length;
}

/** All text the user sent in the conversation (every user message, text blocks only). */
export function userText(body: MessagesBody): string {
  return body.messages
    .filter((m) => m.role === 'user')
    .map((m) => (typeof m.content === 'string' ? m.content : m.content.filter((b) => b.type === 'text').map((b) => b.text ?? '').join('\n')))
    .join('\n');
}

let toolSeq = 0;

function sse(res: http.ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function materialize(turn: Turn): Array<{ type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown }> {
  return turn.blocks.map((b) =>
    b.type === 'text' ? { type: 'text' as const, text: b.text } : { type: 'tool_use' as const, id: b.id ?? `toolu_e2e_${String(++toolSeq).padStart(6, '0')}`, name: b.name, input: b.input },
  );
}

function writeStream(res: http.ServerResponse, model: string, turn: Turn): void {
  const blocks = materialize(turn);
  const stop = blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'request-id': `req_e2e_${toolSeq}` });
  const id = `msg_e2e_${++toolSeq}`;
  const usage = { input_tokens: 10, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  sse(res, 'message_start', { type: 'message_start', message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage } });
  blocks.forEach((b, index) => {
    if (b.type === 'text') {
      sse(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: b.text } });
    } else {
      sse(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } });
      sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(b.input) } });
    }
    sse(res, 'content_block_stop', { type: 'content_block_stop', index });
  });
  sse(res, 'message_delta', { type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 5 } });
  sse(res, 'message_stop', { type: 'message_stop' });
  res.end();
}

function writeJson(res: http.ServerResponse, model: string, turn: Turn): void {
  const blocks = materialize(turn);
  const stop = blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({ id: `msg_e2e_${++toolSeq}`, type: 'message', role: 'assistant', model, content: blocks, stop_reason: stop, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 5 } }),
  );
}

/**
 * Starts the stand-in on 127.0.0.1 at a random free port.
 * @param script decides each `/v1/messages` reply; a thrown error becomes an HTTP 500 and is kept in `errors`.
 */
export async function startStandIn(script: Script = () => undefined): Promise<StandIn & { errors: Error[] }> {
  const requests: RecordedRequest[] = [];
  const unknown: string[] = [];
  const errors: Error[] = [];
  let current = script;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: MessagesBody | undefined;
      try {
        body = raw ? (JSON.parse(raw) as MessagesBody) : undefined;
      } catch {
        body = undefined;
      }
      const rec: RecordedRequest = { seq: requests.length, at: Date.now(), method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
      requests.push(rec);
      const pathname = (req.url ?? '/').split('?')[0];
      if (req.method === 'POST' && pathname === '/v1/messages' && body) {
        let turn: Turn | undefined;
        try {
          turn = current(body, rec);
        } catch (err) {
          errors.push(err as Error);
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: String(err) } }));
          return;
        }
        const reply = turn ?? { blocks: [{ type: 'text', text: 'OK.' }] };
        const model = body.model ?? 'claude-sonnet-4-5';
        if (body.stream) writeStream(res, model, reply);
        else writeJson(res, model, reply);
        return;
      }
      if (req.method === 'POST' && pathname === '/v1/messages/count_tokens') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ input_tokens: Math.ceil(raw.length / 4) }));
        return;
      }
      unknown.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    unknown,
    errors,
    setScript(s) {
      current = s;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
