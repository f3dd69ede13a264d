/**
 * A literal coordinator: a scripted model that runs a plan runner's body the way the dispatcher contract
 * (docs/contracts.md §6) tells it to, and nothing more. From the command body it receives it takes the helper
 * lines `init`, `activate`, `next --id <SESSION> --json` and `next --id <SESSION> --returned <WORKER> --json`
 * (and `report`); it runs `next`, carries out exactly the actions printed — every `spawn`/`review` as one
 * Agent call with the action's `subagent_type`, `description` and `prompt` (and `run_in_background` when the
 * action or the body says so), all in ONE message — then, when the body's `next` line blocks (`--wait N`),
 * runs it again at once (the whole run is one turn, so the command's approval holds; docs/e2e.md, "Agent
 * runs"), else ends its turn on `wait`. Every agent coming back — a `<task-notification>` (in a new turn
 * or inside the running one) or a foreground Agent result — is passed to the next call as `--returned WORKER`
 * (the `worker:` line of its result, else the first word of its description).
 *
 * {@link waveCoordinator} is the old loop for comparison: claim one ticket per free worker (one message), spawn
 * them all in the foreground (one message), wait for ALL results, claim again.
 *
 * Both record what a measurement needs ({@link CoordinatorLog}): when the run started and ended, every turn the
 * coordinator started, the characters of helper output it read, and each spawn.
 */
import { contentText, resultsOfLastTurn, type Block, type ContentBlock, type MessagesBody, type RecordedRequest } from '../stand-in/server.ts';
import { commandTurn } from './inspect.ts';
import { extractHelperLines, helperVerb } from './helper-lines.ts';
import { newNotifications } from './notifications.ts';
import { say } from './script.ts';

/** One action of `next --json` (docs/contracts.md §6). */
export interface NextAction {
  do: 'spawn' | 'review' | 'wait' | 'report' | 'escalate' | 'stopped';
  ticket?: string;
  worker?: string;
  subagent_type?: string;
  description?: string;
  prompt?: string;
  run_in_background?: boolean;
  status?: string;
  reason?: string;
  running?: Array<{ worker: string; ticket: string }>;
}

/** What `next --json` prints. */
export interface NextAnswer {
  session: string;
  status: string;
  progress: { completed: number; total: number; running: number };
  actions: NextAction[];
}

/** One Agent call the coordinator made. */
export interface SpawnRecord {
  ticket: string;
  worker: string;
  subagentType: string;
  kind: 'spawn' | 'review';
  /** Arrival of the request the spawn answered (ms, Date.now()). */
  at: number;
}

/** What a coordinator did (filled while Claude Code runs). */
export interface CoordinatorLog {
  session: string;
  /** Arrival of the request answered with the first `next` / `claim` (ms). */
  runStart: number | undefined;
  /** Arrival of the request that showed the run over (`report` action / nothing left to claim) (ms). */
  runEnd: number | undefined;
  /** Arrival of every request that started a coordinator turn (the command, a notification turn) (ms). */
  turnStarts: number[];
  /** Characters of helper output (tool_result text of the coordinator's helper calls) it read. */
  helperChars: number;
  helperCalls: number;
  spawns: SpawnRecord[];
  /** Every `next --json` answer, in order. */
  answers: NextAnswer[];
  /** The final `report` / `escalate` / `stopped` action, if any. */
  final: NextAction | undefined;
  reportOutput: string | undefined;
  errors: string[];
  done: boolean;
}

/** Options of both coordinators. */
export interface CoordinatorOptions {
  /** Helper prefix as prompts show it (`node .claude/scripts/orchestrate.mjs`, or the plugin's absolute path). */
  prefix: string;
  /** `--validation` value for `init` (default `standard`). */
  validation?: string;
  /** Extra `init` flags (e.g. `--reviewer code-reviewer`). */
  initFlags?: string[];
  /** Stop after this many `next` calls (a runaway guard; default 400). */
  maxSteps?: number;
}

let seq = 0;
function call(name: string, input: Record<string, unknown>): Block & { id: string } {
  return { type: 'tool_use', name, input, id: `toolu_coord_${String(++seq).padStart(6, '0')}` };
}

/** Parses the first JSON object in a helper's output. */
export function parseJsonOutput<T>(text: string): T | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  try {
    return JSON.parse(text.slice(start, text.lastIndexOf('}') + 1)) as T;
  } catch {
    return undefined;
  }
}

/**
 * What the coordinator passes as `--returned` for an agent that came back: the first word of the Agent call's
 * description (`next` renders it `WORKER:TICKET …`, docs/contracts.md §6), else `WORKER:TICKET` from the
 * `worker:` and `ticket:` lines of its result block. Never a bare worker name: worker names are reused, and a
 * late notification of a worker's previous agent would release the ticket it was just given (seen on 2.1.329,
 * docs/e2e.md "Agent runs").
 */
export function returnedWorker(result: string, description: string | undefined): string | undefined {
  const first = description?.split(/\s+/)[0];
  if (first && first.includes(':')) return first;
  const worker = /^\s*worker:\s*(\S+)/m.exec(result)?.[1];
  const ticket = /^\s*ticket:\s*(\S+)/m.exec(result)?.[1];
  if (worker && ticket) return `${worker}:${ticket}`;
  return first;
}

function newLog(): CoordinatorLog {
  return { session: '', runStart: undefined, runEnd: undefined, turnStarts: [], helperChars: 0, helperCalls: 0, spawns: [], answers: [], final: undefined, reportOutput: undefined, errors: [], done: false };
}

/** True when the request starts a coordinator turn: the first one, or one whose newest message is a notification (not a tool result). */
function startsTurn(body: MessagesBody): boolean {
  if (body.messages.filter((m) => m.role === 'assistant').length === 0) return true;
  const last = body.messages[body.messages.length - 1]!;
  if (last.role !== 'user') return false;
  if (typeof last.content !== 'string' && last.content.some((b) => b.type === 'tool_result')) return false;
  return contentText(last.content).includes('<task-notification>');
}

/** Text of the tool_results of the coordinator's last helper calls (and counts them in the log). */
function readHelperResults(body: MessagesBody, log: CoordinatorLog, helperIds: Set<string>): ContentBlock[] {
  const results = resultsOfLastTurn(body).filter((r) => r.tool_use_id && helperIds.has(r.tool_use_id));
  for (const r of results) {
    helperIds.delete(r.tool_use_id!);
    log.helperChars += contentText([r]).length;
  }
  return results;
}

/** The command body's helper lines, by role. */
interface BodyLines {
  init: string | undefined;
  activate: string | undefined;
  next: string | undefined;
  returned: string | undefined;
  report: string | undefined;
}

function bodyLines(body: string, prefix: string): BodyLines {
  const lines = extractHelperLines(body, prefix);
  const verb = (l: string) => helperVerb(l, prefix);
  const nexts = lines.filter((l) => verb(l) === 'next');
  return {
    init: lines.find((l) => verb(l) === 'init'),
    activate: lines.find((l) => verb(l) === 'activate'),
    next: nexts.find((l) => !l.includes('--returned')),
    returned: nexts.find((l) => l.includes('--returned')),
    report: lines.find((l) => verb(l) === 'report'),
  };
}

/**
 * Fills a coordinator's helper line: `<SESSION>` → the session id, `<VALIDATION>` → the level, `--strategy
 * <STRATEGY>` left out (no strategy given, as the prose says), `--returned <WORKER>` → one flag per worker,
 * `<PLAN>`-like positional → the plan file. Throws on a placeholder it does not know.
 */
export function fillCoordinatorLine(line: string, v: { session: string; validation: string; plan: string; returned?: string[]; extra?: string[] }): string {
  let out = line.replace(/\s+--strategy\s+<STRATEGY>/g, '').replace(/\s+--groups\s+<[^>]+>/g, '');
  out = out.replace(/<SESSION>|<SESSION_ID>|<ID>/g, v.session).replace(/<VALIDATION>/g, v.validation);
  out = out.replace(/--returned\s+<(?:WORKER|RETURNED)>/g, (v.returned ?? []).map((w) => `--returned ${w}`).join(' '));
  out = out.replace(/"?<PLAN(?:\.YAML|_FILE)?>"?/gi, `"${v.plan}"`);
  if (v.extra?.length) out = `${out} ${v.extra.join(' ')}`;
  const left = /<[A-Za-z_][A-Za-z0-9_ -]*>/.exec(out);
  if (left) throw new Error(`literal coordinator: no value for ${left[0]} in \`${line}\``);
  return out.replace(/\s+/g, ' ').trim();
}

/**
 * The literal coordinator (see the file comment).
 * @returns `script` for the main session (give subagent requests to an agent model) and its `log`.
 */
export function dispatchCoordinator(opts: CoordinatorOptions): { reply: (body: MessagesBody, req: RecordedRequest) => { blocks: Block[] }; log: CoordinatorLog } {
  const log = newLog();
  const validation = opts.validation ?? 'standard';
  let lines: BodyLines | undefined;
  let plan = 'plan.yaml';
  let phase: 'init' | 'activate' | 'next' | 'report' | 'end' = 'init';
  const helperIds = new Set<string>();
  /** Agent call id → its description (to name a foreground result's worker). */
  const agentCalls = new Map<string, string>();
  /** Workers that came back and were not yet passed as --returned. */
  const pending = new Set<string>();
  let lastAction: 'next' | 'spawned' | 'waiting' | 'other' = 'other';
  let steps = 0;

  const helper = (command: string) => {
    const c = call('Bash', { command, description: 'Run the orchestration helper' });
    helperIds.add(c.id);
    log.helperCalls++;
    return c;
  };
  const fail = (msg: string) => {
    log.errors.push(msg);
    phase = 'end';
    return say(`stopping: ${msg}`);
  };
  const fill = (line: string, returned?: string[]) => fillCoordinatorLine(line, { session: log.session, validation, plan, returned, extra: undefined });
  const askNext = (req: RecordedRequest) => {
    if (++steps > (opts.maxSteps ?? 400)) return fail('more than maxSteps next calls');
    const returned = [...pending];
    pending.clear();
    const line = returned.length ? lines!.returned : lines!.next;
    if (!line) return fail(returned.length ? 'no `next --returned <WORKER>` line in the body' : 'no `next` line in the body');
    log.runStart ??= req.at;
    lastAction = 'next';
    return { blocks: [helper(fill(line, returned))] };
  };

  const reply = (body: MessagesBody, req: RecordedRequest): { blocks: Block[] } => {
    if (startsTurn(body)) log.turnStarts.push(req.at);
    if (!lines) {
      const turn = commandTurn(body);
      if (!turn) return fail('the command did not reach the model');
      lines = bodyLines(turn.body, opts.prefix);
      plan = turn.args.split(/\s+/)[0] || plan;
    }
    // Agents that came back: notifications (new turn or inside this one), foreground Agent results.
    for (const n of newNotifications(body)) {
      const w = returnedWorker(n.result, n.description);
      if (w) pending.add(w);
    }
    for (const r of resultsOfLastTurn(body)) {
      const desc = r.tool_use_id ? agentCalls.get(r.tool_use_id) : undefined;
      if (desc === undefined) continue;
      agentCalls.delete(r.tool_use_id!);
      const text = contentText([r]);
      if (!text.includes('Async agent launched')) {
        const w = returnedWorker(text, desc);
        if (w) pending.add(w);
      }
    }
    const results = readHelperResults(body, log, helperIds);
    const output = contentText(results);
    switch (phase) {
      case 'init': {
        if (!lines.init) return fail('no init line in the command body');
        phase = 'activate';
        const initLine = fillCoordinatorLine(lines.init, { session: '', validation, plan, extra: opts.initFlags });
        return { blocks: [helper(initLine)] };
      }
      case 'activate': {
        if (results[0]?.is_error) return fail(`init failed: ${output.slice(0, 500)}`);
        log.session = output.trim().split('\n')[0]!.trim();
        if (!lines.activate) return fail('no activate line in the command body');
        phase = 'next';
        return { blocks: [helper(fill(lines.activate))] };
      }
      case 'next': {
        if (log.runStart === undefined) {
          if (results[0]?.is_error) return fail(`activate failed: ${output.slice(0, 500)}`);
          return askNext(req);
        }
        // A blocking `next … --wait N` keeps the turn (and the command's approval) going; without it the
        // coordinator ends its turn on `wait` and an agent coming back starts the next one.
        const blocking = /\s--wait\b/.test(lines.next ?? '');
        if (lastAction === 'next') {
          if (results[0]?.is_error || !results.length) return fail(`next failed: ${output.slice(0, 500)}`);
          const answer = parseJsonOutput<NextAnswer>(output);
          if (!answer) return fail(`next --json printed no JSON: ${output.slice(0, 300)}`);
          log.answers.push(answer);
          const spawns = answer.actions.filter((a) => a.do === 'spawn' || a.do === 'review');
          const end = answer.actions.find((a) => a.do === 'report' || a.do === 'escalate' || a.do === 'stopped');
          if (spawns.length) {
            lastAction = 'spawned';
            const background = /run_in_background:\s*true/.test(commandTurn(body)?.body ?? '');
            return {
              blocks: spawns.map((a) => {
                const input: Record<string, unknown> = { description: a.description, prompt: a.prompt, subagent_type: a.subagent_type };
                if (a.run_in_background !== undefined) input.run_in_background = a.run_in_background;
                else if (background) input.run_in_background = true;
                const c = call('Agent', input);
                agentCalls.set(c.id, a.description ?? '');
                log.spawns.push({ ticket: a.ticket ?? '', worker: a.worker ?? '', subagentType: a.subagent_type ?? '', kind: a.do as 'spawn' | 'review', at: req.at });
                return c;
              }),
            };
          }
          if (end) {
            log.final = end;
            log.runEnd = req.at;
            if (end.do !== 'report') return fail(`next ended the run with ${end.do}: ${JSON.stringify(end).slice(0, 500)}`);
            phase = 'report';
            if (!lines.report) return fail('no report line in the command body');
            return { blocks: [helper(fill(lines.report))] };
          }
          // wait
          if (pending.size || blocking) return askNext(req);
          lastAction = 'waiting';
          return say('Waiting for the running agents.');
        }
        // The spawn results (launched, or finished in the foreground: then already in `pending`), a
        // notification turn, or a turn that goes on.
        if (pending.size || (blocking && lastAction === 'spawned')) return askNext(req);
        lastAction = 'waiting';
        return say('Waiting for the running agents.');
      }
      case 'report':
        log.reportOutput = output;
        log.done = true;
        phase = 'end';
        return say('Run complete.');
      case 'end':
        return say('done');
    }
  };
  return { reply, log };
}

/** Options of the wave coordinator: the workers per wave and how it renders an agent's prompt. */
export interface WaveOptions extends CoordinatorOptions {
  /** Workers per wave (the session's claim limit). */
  workers: number;
  /** `subagent_type` for every ticket (the pack's implementation agent, namespaced in a plugin). */
  subagentType: string;
}

/**
 * The old wave loop (see the file comment): the body's `init` and `activate`, then rounds of one `claim --id S
 * --agent worker-N --json` per worker (one message) and one foreground Agent call per claimed ticket (one
 * message; the prompt in the same shape `next` renders), until a round claims nothing; then the body's `report`.
 */
export function waveCoordinator(opts: WaveOptions): { reply: (body: MessagesBody, req: RecordedRequest) => { blocks: Block[] }; log: CoordinatorLog } {
  const log = newLog();
  const validation = opts.validation ?? 'standard';
  let lines: BodyLines | undefined;
  let plan = 'plan.yaml';
  let phase: 'init' | 'activate' | 'claim' | 'spawn' | 'report' | 'end' = 'init';
  const helperIds = new Set<string>();
  const helper = (command: string) => {
    const c = call('Bash', { command, description: 'Run the orchestration helper' });
    helperIds.add(c.id);
    log.helperCalls++;
    return c;
  };
  const fail = (msg: string) => {
    log.errors.push(msg);
    phase = 'end';
    return say(`stopping: ${msg}`);
  };
  let rounds = 0;
  const reply = (body: MessagesBody, req: RecordedRequest): { blocks: Block[] } => {
    if (startsTurn(body)) log.turnStarts.push(req.at);
    if (!lines) {
      const turn = commandTurn(body);
      if (!turn) return fail('the command did not reach the model');
      lines = bodyLines(turn.body, opts.prefix);
      plan = turn.args.split(/\s+/)[0] || plan;
    }
    const results = readHelperResults(body, log, helperIds);
    const output = contentText(results);
    const claim = () => {
      if (++rounds > (opts.maxSteps ?? 400)) return fail('more than maxSteps waves');
      log.runStart ??= req.at;
      phase = 'spawn';
      return { blocks: Array.from({ length: opts.workers }, (_x, i) => helper(`${opts.prefix} claim --id ${log.session} --agent worker-${i + 1} --json`)) };
    };
    switch (phase) {
      case 'init':
        if (!lines.init) return fail('no init line in the command body');
        phase = 'activate';
        return { blocks: [helper(fillCoordinatorLine(lines.init, { session: '', validation, plan, extra: opts.initFlags }))] };
      case 'activate':
        log.session = output.trim().split('\n')[0]!.trim();
        if (!lines.activate) return fail('no activate line in the command body');
        phase = 'claim';
        return { blocks: [helper(fillCoordinatorLine(lines.activate, { session: log.session, validation, plan }))] };
      case 'claim':
        return claim();
      case 'spawn': {
        if (results.length === 0) return claim(); // the wave's Agent results: claim again
        const claimed = results.flatMap((r, i) => {
          const out = parseJsonOutput<{ ticket: { id: string; title: string; files: string[]; acceptance: string[] } | null }>(contentText([r]));
          return out?.ticket ? [{ ticket: out.ticket, worker: `worker-${i + 1}` }] : [];
        });
        if (claimed.length === 0) {
          log.runEnd = req.at;
          phase = 'report';
          if (!lines.report) return fail('no report line in the command body');
          return { blocks: [helper(fillCoordinatorLine(lines.report, { session: log.session, validation, plan }))] };
        }
        return {
          blocks: claimed.map(({ ticket, worker }) => {
            log.spawns.push({ ticket: ticket.id, worker, subagentType: opts.subagentType, kind: 'spawn', at: req.at });
            const prompt = [
              `Session: ${log.session}`,
              `Ticket: ${ticket.id} — ${ticket.title}`,
              `Your agent name: ${worker}`,
              `Files: ${ticket.files.join(', ') || 'none'}`,
              `Acceptance: ${ticket.acceptance.join('; ') || 'none'}`,
              `Validation: ${validation}`,
              `Pass --id ${log.session} --agent ${worker} --ticket ${ticket.id} to every helper call. Return your result block.`,
            ].join('\n');
            return call('Agent', { description: `${worker} ${ticket.id}`, prompt, subagent_type: opts.subagentType, run_in_background: false });
          }),
        };
      }
      case 'report':
        log.reportOutput = output;
        log.done = true;
        phase = 'end';
        return say('Run complete.');
      case 'end':
        return say('done');
    }
  };
  return { reply, log };
}
