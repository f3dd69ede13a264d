/**
 * Reading what Claude Code sent to the stand-in: which requests are a subagent's, the expanded command, the
 * agent types and skills offered, and the outcome of every Bash call the scripted model made.
 *
 * Formats below were seen on Claude Code 2.1.329 (see docs/e2e.md, "Observed Claude Code facts"):
 * - a subagent's request has `cc_is_subagent=true` in the billing line of its system prompt, and its agent
 *   body in the system prompt;
 * - a command reaches the model as a user text block `<command-message>NAME</command-message>\n
 *   <command-name>/NAME</command-name>\n<command-args>ARGS</command-args>` followed by a text block with the
 *   body, arguments substituted;
 * - the agent types come in a system-role message: `Available agent types for the Agent tool:` then
 *   `- NAME: DESCRIPTION (Tools: ...)` lines; skills after `The following skills are available for use with
 *   the Skill tool:` as `- NAME: DESCRIPTION`;
 * - a Bash tool_result is `is_error: false` on exit 0; on a non-zero exit `is_error: true` and the content
 *   starts with `Exit code N`; on a permission denial `is_error: true` with `This command requires approval`
 *   (main session) or `Permission to use Bash has been denied` (subagent).
 */
import { contentText, systemText, type ContentBlock, type MessagesBody, type RecordedRequest } from '../stand-in/server.ts';

/** True when the request comes from a subagent (seen: `cc_is_subagent=true` in the system prompt's first block). */
export function isSubagentRequest(body: MessagesBody): boolean {
  return systemText(body).includes('cc_is_subagent=true');
}

/** The `/v1/messages` requests that carry tools (the conversation turns, not side calls such as titles). */
export function turnRequests(requests: RecordedRequest[]): MessagesBody[] {
  return requests.filter((r) => r.url.startsWith('/v1/messages') && !r.url.includes('count_tokens') && r.body && (r.body.tools?.length ?? 0) > 0).map((r) => r.body!);
}

/** Every text the model can read in a request: system prompt and all messages (any role). */
export function allText(body: MessagesBody): string {
  return [systemText(body), ...body.messages.map((m) => contentText(m.content))].join('\n');
}

/** A command invocation as it reached the model. */
export interface CommandTurn {
  /** The `<command-name>` value, e.g. `/orchestrate:execute`. */
  name: string;
  /** The `<command-args>` value (raw). */
  args: string;
  /** The expanded body (the text block after the command tag block). */
  body: string;
}

/** The command invocation in the first user message of a main-session request, if any. */
export function commandTurn(body: MessagesBody): CommandTurn | undefined {
  for (const m of body.messages) {
    if (m.role !== 'user' || typeof m.content === 'string') continue;
    const blocks = m.content.filter((b) => b.type === 'text');
    for (let i = 0; i < blocks.length; i++) {
      const text = blocks[i]!.text ?? '';
      const name = /<command-name>([^<]*)<\/command-name>/.exec(text);
      if (!name) continue;
      const args = /<command-args>([\s\S]*?)<\/command-args>/.exec(text);
      // The body is the next text block (seen on 2.1.329); fall back to text after the tags.
      const bodyText = blocks[i + 1]?.text ?? text.slice(text.indexOf('</command-args>') + '</command-args>'.length);
      return { name: name[1]!, args: unescapeXml(args?.[1] ?? ''), body: bodyText };
    }
  }
  return undefined;
}

function unescapeXml(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function listAfter(text: string, header: string): Map<string, string> {
  const out = new Map<string, string>();
  const at = text.indexOf(header);
  if (at < 0) return out;
  const lines = text.slice(at + header.length).split('\n');
  let started = false;
  for (const line of lines) {
    if (!line.trim()) {
      if (started) break;
      continue;
    }
    const m = /^- ([^\s:][^:]*(?::[^\s:][^:]*)*?): (.*)$/.exec(line);
    if (!m) {
      if (started) break;
      continue;
    }
    started = true;
    out.set(m[1]!, m[2]!);
  }
  return out;
}

/** Agent types offered to the model (name → description line), from the Agent tool's type list. */
export function agentTypes(body: MessagesBody): Map<string, string> {
  return listAfter(allText(body), 'Available agent types for the Agent tool:');
}

/** Skills/commands offered through the Skill tool (name → description). */
export function skillList(body: MessagesBody): Map<string, string> {
  return listAfter(allText(body), 'The following skills are available for use with the Skill tool:');
}

/** What happened to one Bash call. */
export interface BashOutcome {
  command: string;
  /** `ok` exit 0; `exit` non-zero; `denied` permission denial; `pending` no result seen. */
  kind: 'ok' | 'exit' | 'denied' | 'pending';
  exitCode: number | undefined;
  output: string;
  /** True when the call was made by a subagent. */
  fromSubagent: boolean;
  toolUseId: string;
}

/** Classifies a Bash tool_result block (formats seen on 2.1.329, see the file comment). */
export function classifyBashResult(block: ContentBlock): Pick<BashOutcome, 'kind' | 'exitCode' | 'output'> {
  const output = contentText([block]);
  if (!block.is_error) return { kind: 'ok', exitCode: 0, output };
  const exit = /^Exit code (\d+)/.exec(output);
  if (exit) return { kind: 'exit', exitCode: Number(exit[1]), output };
  return { kind: 'denied', exitCode: undefined, output };
}

/**
 * Every Bash call made in the recorded conversation (main session and subagents), with its outcome, in the
 * order the calls were made. A call is matched to the tool_result with its `tool_use_id` in a later request.
 */
export function bashOutcomes(requests: RecordedRequest[]): BashOutcome[] {
  const calls = new Map<string, { command: string; fromSubagent: boolean }>();
  const results = new Map<string, ContentBlock>();
  for (const body of turnRequests(requests)) {
    const sub = isSubagentRequest(body);
    for (const m of body.messages) {
      if (typeof m.content === 'string') continue;
      for (const b of m.content) {
        if (m.role === 'assistant' && b.type === 'tool_use' && b.name === 'Bash' && b.id && !calls.has(b.id)) {
          calls.set(b.id, { command: String((b.input as { command?: unknown })?.command ?? ''), fromSubagent: sub });
        }
        if (m.role === 'user' && b.type === 'tool_result' && b.tool_use_id) results.set(b.tool_use_id, b);
      }
    }
  }
  return [...calls].map(([id, call]) => {
    const result = results.get(id);
    const outcome = result ? classifyBashResult(result) : { kind: 'pending' as const, exitCode: undefined, output: '' };
    return { ...call, ...outcome, toolUseId: id };
  });
}

/** The tool_result for a tool_use id, if any request carried it. */
export function toolResult(requests: RecordedRequest[], toolUseId: string): ContentBlock | undefined {
  for (const body of turnRequests(requests)) {
    for (const m of body.messages) {
      if (m.role !== 'user' || typeof m.content === 'string') continue;
      const hit = m.content.find((b) => b.type === 'tool_result' && b.tool_use_id === toolUseId);
      if (hit) return hit;
    }
  }
  return undefined;
}

/** Short human-readable lines for a failure message: `[sub] exit 1: node ... → output`. */
export function describeOutcomes(outcomes: BashOutcome[]): string {
  return outcomes.map((o) => `${o.fromSubagent ? '[subagent] ' : ''}${o.kind}${o.exitCode ? ` ${o.exitCode}` : ''}: ${o.command}\n    → ${o.output.slice(0, 300).replace(/\n/g, '\n      ')}`).join('\n');
}
