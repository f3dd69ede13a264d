/**
 * Stand-in agents for runs driven by the dispatcher: a subagent request is answered from its prompt (the one
 * `next` renders: `Session: S`, `Ticket: T — title` or `Review ticket: T — …`, `Your agent name: W`) and its
 * system prompt (the agent's body, which holds the helper lines). A worker runs its `work` commands (e.g.
 * `sleep 12`, standing in for the edits), then the body's `complete` line (or `fail`, when the behaviour says
 * so), then returns its result block; a reviewer runs the body's `approve` or `reject` line. Helper lines are
 * filled with {@link fillPlaceholders} (the values a model has in hand).
 */
import { assistantTurns, contentText, systemText, type Block, type MessagesBody } from '../stand-in/server.ts';
import { extractHelperLines, fillPlaceholders, helperVerb, type FillValues } from './helper-lines.ts';
import { say } from './script.ts';

/** What the prompt of a spawned agent names. */
export interface AgentPrompt {
  session: string;
  ticket: string;
  worker: string;
  review: boolean;
}

/** Reads a `next`-rendered agent prompt (undefined when it is not one). */
export function parseAgentPrompt(text: string): AgentPrompt | undefined {
  const session = /^Session: (\S+)/m.exec(text)?.[1];
  const worker = /^Your agent name: (\S+)/m.exec(text)?.[1];
  const review = /^Review ticket: (\S+)/m.exec(text)?.[1];
  const ticket = review ?? /^Ticket: (\S+)/m.exec(text)?.[1];
  if (!session || !worker || !ticket) return undefined;
  return { session, ticket, worker, review: review !== undefined };
}

/** How the stand-in agents behave; every hook gets the agent's prompt and its attempt number (1-based, per ticket). */
export interface WorkerBehaviour {
  /** Verbs of the agent body's helper lines a worker runs first, one per turn (e.g. `['heartbeat']`). */
  first?: string[];
  /** Shell commands a worker runs next, one per turn (e.g. `['sleep 12']`). */
  work?: (a: AgentPrompt, attempt: number) => string[];
  /** The commit and files a worker reports (after `work`); default: none (the project's HEAD, the ticket's files unknown). */
  commit?: (a: AgentPrompt, attempt: number) => { sha: string; files: string[] };
  /** Return the result block without `complete` or `fail` (an agent that stopped early; `next --returned` releases it). */
  returnsEarly?: (a: AgentPrompt, attempt: number) => boolean;
  /** `fail` instead of `complete` (with `reason`). */
  fails?: (a: AgentPrompt, attempt: number) => string | undefined;
  /** A reviewer's verdict: undefined approves, a string rejects with that reason. */
  rejects?: (a: AgentPrompt, round: number) => string | undefined;
  /** The project's HEAD (for `--commit` when no commit is made). */
  head: () => string;
}

/** What the agents did (for assertions). */
export interface WorkersLog {
  /** Per ticket, each attempt's worker and outcome, in order. */
  attempts: Map<string, Array<{ worker: string; outcome: 'completed' | 'failed' | 'returned'; sha?: string }>>;
  /** Per ticket, each review's reviewer and verdict. */
  reviews: Map<string, Array<{ reviewer: string; verdict: 'approved' | 'rejected' }>>;
  /** Per agent conversation (`worker/ticket/attempt`): first and last request arrival (ms). */
  spans: Map<string, { first: number; last: number; ticket: string; worker: string; slept: number }>;
  /** Round trips (ms) of the agents' helper calls: the reply holding the call → the request with its result. */
  helperRoundTrips: number[];
  errors: string[];
}

interface Conversation {
  key: string;
  attempt: number;
  /** Tool calls per turn; an empty turn is the `complete`/`fail` call, made by `finish` when reached. */
  steps: Block[][];
  finish?: () => Block[];
  result: string;
  /** Seconds of `sleep` in its work. */
  slept: number;
  /** Arrival of the request whose reply was a helper call (undefined after other replies). */
  helperAskedAt?: number;
}

/**
 * The agent side of a dispatcher run.
 * @returns `reply` for subagent requests and the agents' `log`.
 */
export function standInWorkers(prefix: string, behaviour: WorkerBehaviour): { reply: (body: MessagesBody, at: number) => { blocks: Block[] }; log: WorkersLog } {
  const log: WorkersLog = { attempts: new Map(), reviews: new Map(), spans: new Map(), helperRoundTrips: [], errors: [] };
  const conversations = new Map<string, Conversation>();
  const started = new Map<string, number>();
  let ids = 0;
  const bash = (command: string, description: string): Block => ({ type: 'tool_use', name: 'Bash', input: { command, description }, id: `toolu_work_${String(++ids).padStart(6, '0')}` });

  const plan = (a: AgentPrompt, lines: string[]): Conversation => {
    const verb = (l: string) => helperVerb(l, prefix);
    const values: FillValues = { plan: 'plan.yaml', ticket: a.ticket, agent: a.worker, sessionId: a.session, sha: behaviour.head(), files: '' };
    const key = `${a.worker}/${a.ticket}/${a.review ? 'review' : 'work'}`;
    const n = (started.get(`${a.ticket}/${a.review}`) ?? 0) + 1;
    started.set(`${a.ticket}/${a.review}`, n);
    const conv: Conversation = { key: `${key}/${n}`, attempt: n, steps: [], result: '', slept: 0 };
    if (a.review) {
      const reason = behaviour.rejects?.(a, n);
      const line = lines.find((l) => verb(l) === (reason ? 'reject' : 'approve'));
      if (!line) {
        log.errors.push(`${a.worker}: the reviewer's body has no ${reason ? 'reject' : 'approve'} line`);
        conv.result = `worker: ${a.worker}\nticket: ${a.ticket}\nverdict: none`;
        return conv;
      }
      const filled = fillPlaceholders(line, values, prefix).replace(/--reason "[^"]*"/, `--reason "${reason ?? ''}"`);
      conv.steps.push([bash(filled, 'Record the review verdict')]);
      const list = log.reviews.get(a.ticket) ?? [];
      list.push({ reviewer: a.worker, verdict: reason ? 'rejected' : 'approved' });
      log.reviews.set(a.ticket, list);
      conv.result = `worker: ${a.worker}\nticket: ${a.ticket}\nverdict: ${reason ? 'rejected' : 'approved'}`;
      return conv;
    }
    for (const v of behaviour.first ?? []) {
      const l = lines.find((x) => verb(x) === v);
      if (!l) log.errors.push(`${a.worker}: the agent's body has no ${v} line`);
      else conv.steps.push([bash(fillPlaceholders(l, values, prefix), 'Run the orchestration helper')]);
    }
    const work = behaviour.work?.(a, n) ?? [];
    for (const w of work) conv.steps.push([bash(w, 'Work on the ticket')]);
    if (behaviour.returnsEarly?.(a, n)) {
      const list = log.attempts.get(a.ticket) ?? [];
      list.push({ worker: a.worker, outcome: 'returned' });
      log.attempts.set(a.ticket, list);
      conv.result = `worker: ${a.worker}\nticket: ${a.ticket}\nstatus: failed\nsummary: stopped before finishing`;
      return conv;
    }
    conv.slept = work.reduce((sum, w) => sum + Number(/^sleep ([\d.]+)s?$/.exec(w)?.[1] ?? 0), 0);
    const reason = behaviour.fails?.(a, n);
    const line = lines.find((l) => verb(l) === (reason ? 'fail' : 'complete'));
    if (!line) {
      log.errors.push(`${a.worker}: the agent's body has no ${reason ? 'fail' : 'complete'} line`);
      return conv;
    }
    const list = log.attempts.get(a.ticket) ?? [];
    const entry: { worker: string; outcome: 'completed' | 'failed' | 'returned'; sha?: string } = { worker: a.worker, outcome: reason ? 'failed' : 'completed' };
    list.push(entry);
    log.attempts.set(a.ticket, list);
    // The commit is made when the agent reaches its complete step (after its work), so it is the newest one.
    conv.steps.push([]);
    const finish = (): Block[] => {
      if (reason) return [bash(fillPlaceholders(line, values, prefix).replace(/--reason "[^"]*"/, `--reason "${reason}"`), 'Record the failure')];
      const c = behaviour.commit?.(a, n);
      entry.sha = c?.sha;
      // No files (a review or docs ticket without any): a model leaves the flag out rather than pass it empty.
      const written = c?.files.length ? line : line.replace(/\s+--files\s+<FILES>/, '');
      return [bash(fillPlaceholders(written, { ...values, sha: c?.sha ?? values.sha, files: c?.files.join(',') ?? '' }, prefix), 'Record the result')];
    };
    conv.finish = finish;
    conv.result = `worker: ${a.worker}\nticket: ${a.ticket}\nstatus: ${reason ? 'failed' : 'completed'}\nsummary: e2e`;
    return conv;
  };

  const reply = (body: MessagesBody, at: number): { blocks: Block[] } => {
    const prompt = body.messages.filter((m) => m.role === 'user').map((m) => contentText(m.content)).join('\n');
    const a = parseAgentPrompt(prompt);
    if (!a) return say('status: failed\nsummary: no ticket in my prompt');
    const n = assistantTurns(body);
    // One conversation per (worker, ticket, attempt): a new one starts at turn 0.
    const convKey = `${a.worker}/${a.ticket}/${a.review}`;
    let conv = conversations.get(convKey);
    if (n === 0 || !conv) {
      conv = plan(a, extractHelperLines(systemText(body), prefix));
      conversations.set(convKey, conv);
      log.spans.set(conv.key, { first: at, last: at, ticket: a.ticket, worker: a.worker, slept: conv.slept });
    }
    log.spans.get(conv.key)!.last = at;
    if (conv.helperAskedAt !== undefined) log.helperRoundTrips.push(at - conv.helperAskedAt);
    conv.helperAskedAt = undefined;
    const step = conv.steps[n];
    if (step === undefined) return say(conv.result);
    if (step.length === 0 || a.review || n < (behaviour.first?.length ?? 0)) conv.helperAskedAt = at;
    if (step.length === 0) return { blocks: conv.finish!() };
    return { blocks: step };
  };
  return { reply, log };
}
