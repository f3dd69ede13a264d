import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { claudeBin } from '../e2e/stand-in/run-claude.ts';
import { findHelperCalls, uncoveredHelperCalls, allowedToolRules } from '../../src/compiler/coverage.ts';
import { HELPER_VERBS } from '../../src/compiler/helper-verbs.ts';
import { BUILTIN_COMMANDS } from '../../src/definitions/claude-facts.ts';
import { parseMarkdown, type ParsedMarkdown } from '../../src/definitions/frontmatter.ts';
import { parseCall, shellWords, substitute } from './lines.ts';
import { PLAN_PATH, SESSION_ID, SessionFactory, runLine, stateFor } from './session.ts';

/**
 * The pack, as built: every command and agent file the compiler writes for `--target claude` is read from
 * the build output (enumerated, never listed by hand), and every helper line in it is run against a real
 * session made from the examples. A prompt that calls a verb or flag the helper lacks fails here.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Budgets on invoke, in tokens estimated as chars ÷ 4 (the pack issue, item 4). */
const COMMAND_BODY_TOKENS = 2000;
const AGENT_BODY_TOKENS = 1200;
const DESCRIPTION_CHARS = 160;

const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-build-'));
const claudeDir = path.join(outDir, '.claude');
execFileSync(process.execPath, ['bin/build-commands.js', '--out', claudeDir], { cwd: ROOT, stdio: 'pipe' });

interface Built {
  /** Invocation: `/execute-plan`, `/orchestrate:execute`, or the agent name. */
  name: string;
  kind: 'command' | 'agent';
  file: string;
  md: ParsedMarkdown;
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : []));
}

const built: Built[] = [
  ...walk(path.join(claudeDir, 'commands')).map((f): Built => ({
    name: `/${path.relative(path.join(claudeDir, 'commands'), f).replace(/\.md$/, '').split(path.sep).join(':')}`,
    kind: 'command',
    file: f,
    md: parseMarkdown(f, fs.readFileSync(f, 'utf8')),
  })),
  ...walk(path.join(claudeDir, 'agents')).map((f): Built => ({
    name: path.basename(f, '.md'),
    kind: 'agent',
    file: f,
    md: parseMarkdown(f, fs.readFileSync(f, 'utf8')),
  })),
].sort((a, b) => a.name.localeCompare(b.name));

const commands = built.filter((b) => b.kind === 'command');
const agents = built.filter((b) => b.kind === 'agent');

/** The example plans a session can be made from: the seed 004 plan and the seed 001 notes plan. */
const PLANS = ['examples/execution-plan.yaml', 'examples/notes/rate-limiter/execution-plan.yaml']
  .map((p) => path.join(ROOT, p))
  .filter((p) => fs.existsSync(p));
const factory = new SessionFactory(claudeDir, PLANS[0]!, path.join(ROOT, 'examples/notes'));

afterAll(() => {
  factory.dispose();
  fs.rmSync(outDir, { recursive: true, force: true });
});

/** One line's run: substitute with a prepared session's values, run, and return what happened. */
const runs = new Map<string, { line: string; status: number; output: string }>();
function runHelperLine(raw: string): { line: string; status: number; output: string } {
  const pending = substitute(raw, { plan: PLAN_PATH, session: SESSION_ID, agent: 'worker-1', ticket: '@TICKET@', sha: '@SHA@', files: ['@FILES@'], topic: 'rate-limiter' });
  const cached = runs.get(pending);
  if (cached) return cached;
  const call = parseCall(pending);
  const agent = typeof call.flags.get('--agent') === 'string' ? (call.flags.get('--agent') as string) : 'worker-1';
  const p = factory.copy(stateFor(call.verb), agent);
  const line = pending.replaceAll('@TICKET@', p.ticket).replaceAll('@SHA@', p.sha).replaceAll('@FILES@', p.files.join(','));
  // A plan path the prompt has the model write first (e.g. /parallel-tasks): the example plan stands in for it.
  const planArg = call.verb === 'init' || call.verb === 'validate' ? shellWords(line)[3] : call.flags.get('--plan');
  if (typeof planArg === 'string' && !fs.existsSync(path.join(p.dir, planArg))) {
    fs.mkdirSync(path.dirname(path.join(p.dir, planArg)), { recursive: true });
    fs.copyFileSync(path.join(p.dir, PLAN_PATH), path.join(p.dir, planArg));
  }
  const r = runLine(p.dir, line);
  const result = { line, status: r.status, output: (r.stdout + r.stderr).trim().slice(0, 2000) };
  runs.set(pending, result);
  return result;
}

describe('the built pack', () => {
  it('holds the commands and agents of every seed', () => {
    const names = built.map((b) => b.name);
    for (const required of [
      '/execute-plan', '/parallel-tasks', '/adaptive-implement', '/pipeline-execute', '/rollback-execute',
      '/agent-orchestration', '/agent-coordinate', '/agent-deploy', '/load-balance', '/result-consolidate',
      '/execute', '/orchestrate:execute', '/execute-parallel-plan', '/analyze-dependencies',
      '/execution:pause', '/execution:resume', '/execution:adjust-parallelism', '/execution:resolve-conflict',
      '/execution:emergency-stop', '/execution:dashboard', '/execution:agent-status', '/execution:resources',
      '/execution:progress-report',
      'execution-coordinator', 'implementation-agent', 'test-developer', 'code-reviewer', 'workflow-executor',
      'coordination-monitor', 'git-integrator', 'dependency-validator', 'blocker-detector',
    ]) expect(names).toContain(required);
  });

  it('the plan writers keep the agent a breakdown names, so a domain expert reaches `next` (seed 001)', () => {
    // next resolves a ticket's agent and falls back visibly (test/runtime/dispatch.test.ts); a prompt that
    // rewrote every agent to implementation-agent would never let an expert reach it.
    const coordinator = agents.find((a) => a.name === 'execution-coordinator')!.md.body;
    const prepare = coordinator.slice(coordinator.indexOf('## Mode: prepare'), coordinator.indexOf('## Mode: triage'));
    expect(prepare).toMatch(/`agent`: the agent the breakdown names for the task \(a domain expert/);
    const analyze = commands.find((c) => c.name === '/analyze-dependencies')!.md.body;
    expect(analyze).toMatch(/`agent` \(the agent the source names, e\.g\. a domain expert; else/);
    for (const body of [prepare, analyze]) expect(body).not.toMatch(/the rest\s+`implementation-agent`\. /);
  });

  it('was built from the examples: at least one example plan exists', () => {
    expect(PLANS.length).toBeGreaterThan(0);
  });

  it('passes the linter with no errors and no warnings', () => {
    const r = spawnSync(process.execPath, ['bin/build-commands.js', 'lint', claudeDir, '--format', 'json', '--max-warnings', '0'], { cwd: ROOT, encoding: 'utf8' });
    const report = JSON.parse(r.stdout) as { diagnostics: { file: string; line: number; message: string }[] };
    expect(report.diagnostics.map((d) => `${path.basename(d.file)}:${d.line} ${d.message}`)).toEqual([]);
    expect(r.status).toBe(0);
  });

  it('passes `claude plugin validate --strict`', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-home-'));
    const bin = claudeBin(); // the pinned client, installed on first use (test/e2e/stand-in/run-claude.ts)
    const r = spawnSync(bin, ['plugin', 'validate', '--strict', claudeDir], { encoding: 'utf8', env: { ...process.env, HOME: home, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' }, timeout: 60_000 });
    fs.rmSync(home, { recursive: true, force: true });
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  });
});

describe.each(commands)('command $name', (c) => {
  it('is not a built-in command and has no frontmatter problems', () => {
    expect(c.md.problems).toEqual([]);
    expect((BUILTIN_COMMANDS as readonly string[]).includes(c.name.slice(1))).toBe(false);
  });

  it('has a description of at most 160 characters that says when to use it', () => {
    const d = String(c.md.data.description ?? '');
    expect(d.length).toBeGreaterThan(0);
    expect(d.length).toBeLessThanOrEqual(DESCRIPTION_CHARS);
    expect(d).toMatch(/\bUse\b/);
  });

  it(`keeps its body within ${COMMAND_BODY_TOKENS} tokens`, () => {
    expect(Math.ceil(c.md.body.length / 4)).toBeLessThanOrEqual(COMMAND_BODY_TOKENS);
  });

  it('calls the helper, and every call is pre-approved by allowed-tools', () => {
    expect(findHelperCalls(c.md).length).toBeGreaterThan(0);
    expect(uncoveredHelperCalls(c.md).map((x) => `${x.line}:${x.col} ${x.command}`)).toEqual([]);
  });

  it('pre-approves Agent when it spawns', () => {
    if (/Call the Agent tool/.test(c.md.body)) expect(allowedToolRules(c.md)).toContain('Agent');
  });

  it('runs every helper line against a real session (exit 0)', () => {
    const failures = findHelperCalls(c.md).map((x) => ({ at: x.line, ...runHelperLine(x.command) })).filter((r) => r.status !== 0);
    expect(failures.map((f) => `line ${f.at}: \`${f.line}\` exited ${f.status}: ${f.output}`)).toEqual([]);
  });
});

describe.each(agents)('agent $name', (a) => {
  it('has its name, a description of at most 160 characters that says when to use it', () => {
    expect(a.md.problems).toEqual([]);
    expect(a.md.data.name).toBe(a.name);
    const d = String(a.md.data.description ?? '');
    expect(d.length).toBeGreaterThan(0);
    expect(d.length).toBeLessThanOrEqual(DESCRIPTION_CHARS);
    expect(d).toMatch(/\bUse\b/);
  });

  it(`keeps its body within ${AGENT_BODY_TOKENS} tokens`, () => {
    expect(Math.ceil(a.md.body.length / 4)).toBeLessThanOrEqual(AGENT_BODY_TOKENS);
  });

  it('lists Bash when it calls the helper, and never Agent (subagents cannot spawn)', () => {
    const tools = String(a.md.data.tools ?? '').split(',').map((t) => t.trim());
    if (findHelperCalls(a.md).length > 0) expect(tools).toContain('Bash');
    expect(tools).not.toContain('Agent');
    expect(tools).not.toContain('Task');
  });

  it('runs every helper line against a real session (exit 0)', () => {
    const failures = findHelperCalls(a.md).map((x) => ({ at: x.line, ...runHelperLine(x.command) })).filter((r) => r.status !== 0);
    expect(failures.map((f) => `line ${f.at}: \`${f.line}\` exited ${f.status}: ${f.output}`)).toEqual([]);
  });
});

describe('the line runner itself', () => {
  it('fails a line with a flag the helper does not have', () => {
    expect(runHelperLine('node .claude/scripts/orchestrate.mjs status --no-such-flag').status).not.toBe(0);
  });

  it('fails a line with a verb the helper does not have', () => {
    expect(runHelperLine('node .claude/scripts/orchestrate.mjs frobnicate').status).not.toBe(0);
  });

  it('refuses a placeholder it does not know', () => {
    expect(() => runHelperLine('node .claude/scripts/orchestrate.mjs claim --agent <WHO>')).toThrow(/unknown placeholder/);
  });
});

/** The helper's verbs, as the built helper's own `--help` lists them (not the compiler's copy of the list). */
const HELPER_VERB_LIST = (() => {
  const help = execFileSync(process.execPath, [path.join(claudeDir, 'scripts/orchestrate.mjs'), '--help'], { encoding: 'utf8' });
  const section = help.slice(help.indexOf('Verbs:')).split('\n\n')[0]!;
  const verbs = section.split('\n').map((l) => /^ {2}([a-z][a-z-]*)\s/.exec(l)?.[1]).filter((v): v is string => !!v);
  if (verbs.length < 10) throw new Error(`could not read the verbs from the helper's --help:\n${help}`);
  return verbs;
})();

/** Verbs whose calls need no session: they make one, check a plan file, or list the sessions (docs/contracts.md §6). */
const NO_SESSION = new Set(['init', 'validate', 'sessions']);

/** Programs a prompt may name in a code span that are not helper verbs. */
const OTHER_PROGRAMS = new Set(['git', 'npm', 'npx', 'node', 'claude', 'make', 'bash', 'pytest', 'cargo', 'go']);

describe('helper calls in the built pack', () => {
  const calls = built.flatMap((b) => findHelperCalls(b.md).map((c) => ({ name: b.name, ...c, call: parseCall(c.command) })));

  it('finds helper calls in commands and in agents', () => {
    expect(calls.some((c) => agents.some((a) => a.name === c.name))).toBe(true);
    expect(calls.length).toBeGreaterThan(50);
  });

  it('every call names its session with --id (except init, validate, schedule --plan and sessions)', () => {
    const missing = calls
      .filter((c) => !NO_SESSION.has(c.call.verb) && !(c.call.verb === 'schedule' && c.call.flags.has('--plan')))
      .filter((c) => typeof c.call.flags.get('--id') !== 'string')
      .map((c) => `${c.name}:${c.line} ${c.command}`);
    expect(missing).toEqual([]);
  });

  it('plans live where the runners read them, never in the helper\'s `.orchestration/`', () => {
    // `.orchestration/` is the helper's state (locked, revision-checked): a plan file the model writes there sits
    // beside files every runner tells it never to touch.
    const plans = calls.filter((c) => ['init', 'validate'].includes(c.call.verb) || c.call.flags.has('--plan')).map((c) => ({ name: c.name, plan: ['init', 'validate'].includes(c.call.verb) ? shellWords(c.command)[3] : String(c.call.flags.get('--plan')) }));
    expect(plans.length).toBeGreaterThan(5);
    expect(plans.filter((p) => /(^|\/)\.orchestration\//.test(p.plan ?? ''))).toEqual([]);
    for (const b of commands) expect(b.md.body, b.name).not.toMatch(/Write [^.\n]*`\.orchestration\//);
    // /parallel-tasks writes its plan where /execute keeps a topic's: notes/<topic>/execution-plan.yaml
    const parallel = commands.find((c) => c.name === '/parallel-tasks')!;
    expect(plans.filter((p) => p.name === '/parallel-tasks').map((p) => p.plan)).toEqual(['notes/parallel-tasks/execution-plan.yaml']);
    expect(parallel.md.body).toContain('Write the plan to `notes/parallel-tasks/execution-plan.yaml`');
    expect(plans.filter((p) => p.name === '/execute').map((p) => p.plan)).toContain('notes/<topic>/execution-plan.yaml');
  });

  it('/execution:resources --suggest takes the parallelism the helper computes (`resources --suggest`), not the model\'s', () => {
    const lines = calls.filter((c) => c.name === '/execution:resources').map((c) => c.command);
    expect(lines).toContain('node .claude/scripts/orchestrate.mjs resources --id <SESSION> --suggest');
    const body = commands.find((c) => c.name === '/execution:resources')!.md.body;
    expect(body).toContain('with the\n`suggested parallelism` it printed');
    expect(body).not.toMatch(/load above the core count/);
  });

  it('--priority is filtered by the helper: /analyze-dependencies shows it with `schedule --plan --priority`, /execute-parallel-plan passes it to `init`', () => {
    const analyze = commands.find((c) => c.name === '/analyze-dependencies')!.md.body;
    expect(analyze).toContain('with `--priority P`, add `--priority P` to this line: the\n   helper filters, do not drop tickets yourself');
    expect(analyze).not.toMatch(/`--priority` keeps only those/);
    const run = commands.find((c) => c.name === '/execute-parallel-plan')!;
    expect(run.md.data['argument-hint']).toContain('[--priority critical,high]');
    expect(run.md.body).toContain('`--pause-on-conflicts`, `--priority P` (those priorities and what they depend on) when given');
  });

  it('every call an agent makes on a ticket names its worker with --agent', () => {
    const ticketVerbs = new Set(['heartbeat', 'complete', 'fail', 'block', 'approve', 'reject']);
    const missing = calls
      .filter((c) => agents.some((a) => a.name === c.name) && ticketVerbs.has(c.call.verb))
      .filter((c) => c.call.flags.get('--agent') !== '<WORKER>')
      .map((c) => `${c.name}:${c.line} ${c.command}`);
    expect(missing).toEqual([]);
  });

  it('every verb a prompt names exists in the helper: helper lines, and code spans such as `retry TICKET`', () => {
    const unknown = calls.filter((c) => !HELPER_VERB_LIST.includes(c.call.verb)).map((c) => `${c.name}:${c.line} ${c.command}`);
    // A code span that reads like a command: a lowercase word, then a flag, a placeholder or an UPPERCASE argument.
    for (const b of built) {
      for (const m of b.md.body.matchAll(/`([a-z][a-z-]*) (?:--[a-z]|<[A-Z]|[A-Z]{2,})[^`]*`/g)) {
        const word = m[1]!;
        if (!OTHER_PROGRAMS.has(word) && !HELPER_VERB_LIST.includes(word)) unknown.push(`${b.name}: \`${m[0]}\``);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('the compiler accepts exactly the helper\'s verbs in `{{orchestrate}}` (src/compiler/helper-verbs.ts)', () => {
    expect([...HELPER_VERBS].sort()).toEqual([...HELPER_VERB_LIST].sort());
  });

  it('the verb check itself catches an advised verb the helper lacks', () => {
    expect(HELPER_VERB_LIST).toContain('next');
    expect(HELPER_VERB_LIST).not.toContain('requeue');
    expect('`requeue TICKET`'.match(/`([a-z][a-z-]*) (?:--[a-z]|<[A-Z]|[A-Z]{2,})[^`]*`/)?.[1]).toBe('requeue');
  });
});

/** One action of `next --json` (docs/contracts.md §6). */
interface Action {
  do: 'spawn' | 'review' | 'wait' | 'report' | 'escalate' | 'stopped';
  ticket?: string;
  worker?: string;
  subagent_type?: string;
  description?: string;
  prompt?: string;
  status?: string;
  reason?: string;
}

/**
 * The runner commands' loop, played with their own lines, as a literal coordinator would: the start lines
 * (`init`, `activate`; a command without `init` continues a running session, `/execution:resume` a paused
 * one), then the body's `next --json` line and, after each agent "returns", its `next --returned` line. Each
 * `spawn` is worked by the spawned agent's own `complete` line (after a real commit of the ticket's files),
 * each `review` by the reviewer's own `approve`/`reject` line. One agent comes back without a result (its
 * ticket must be handed out again) and the first review rejects (the ticket must come back with the reason
 * in its prompt). Proves that with exactly the lines the prompts give, the run reaches `report` with the
 * session `completed`. Identical loops are played once.
 */
describe('runner loops reach `completed` through `next` with their own lines', () => {
  const helperLines = (b: Built) => findHelperCalls(b.md).map((c) => c.command);
  const verbOf = (l: string) => parseCall(l).verb;
  const agentNamed = (type: string) => agents.find((a) => a.name === type.replace(/^build-commands:/, ''));
  interface Loop { names: string[]; start: string[]; from: 'fresh' | 'coordinating' | 'paused'; next: string; returned: string; maxAttempts: boolean }
  const loops = new Map<string, Loop>();
  for (const c of commands) {
    const lines = helperLines(c);
    const next = lines.find((l) => verbOf(l) === 'next' && !l.includes('--returned'));
    const returned = lines.find((l) => verbOf(l) === 'next' && l.includes('--returned'));
    if (!next || !returned) continue;
    const init = lines.find((l) => verbOf(l) === 'init');
    const resume = lines.find((l) => verbOf(l) === 'resume');
    const start = init
      ? [init, ...lines.filter((l) => verbOf(l) === 'activate').slice(0, 1)]
      : resume ? [resume] : lines.filter((l) => verbOf(l) === 'adjust');
    const from = init ? 'fresh' : resume ? 'paused' : 'coordinating';
    // The slash command a session records does not change the loop.
    const key = JSON.stringify([start.map((l) => l.replace(/ --command \S+/, '')), from, next, returned]);
    const loop = loops.get(key);
    if (loop) loop.names.push(c.name);
    else loops.set(key, { names: [c.name], start, from, next, returned, maxAttempts: /--max-attempts 1\b/.test(init ?? '') });
  }

  it('finds the loop in every plan runner', () => {
    expect([...loops.values()].flatMap((l) => l.names)).toEqual(expect.arrayContaining([
      '/execute-parallel-plan', '/orchestrate:execute', '/execute-plan', '/execute', '/agent-orchestration',
      '/parallel-tasks', '/adaptive-implement', '/pipeline-execute', '/rollback-execute', '/execution:resume', '/agent-deploy',
    ]));
  });

  it('no plan runner claims tickets itself or waits for a whole wave', () => {
    for (const name of ['/execute-parallel-plan', '/orchestrate:execute', '/execute-plan', '/execute', '/agent-orchestration', '/parallel-tasks', '/adaptive-implement', '/pipeline-execute', '/rollback-execute', '/execution:resume', '/agent-deploy']) {
      const c = commands.find((x) => x.name === name)!;
      expect(helperLines(c).filter((l) => verbOf(l) === 'claim'), name).toEqual([]);
      expect(c.md.body, name).not.toMatch(/wait for (all|every)/i);
    }
  });

  it.each([...loops.values()].map((l) => [l.names.join(', '), l] as const))('%s', (_names, loop) => {
    const base = { plan: PLAN_PATH, session: SESSION_ID, sha: '@SHA@', files: ['@FILES@'], topic: 'rate-limiter', ticket: '', agent: 'worker-1' };
    const p = factory.copy(loop.from, 'worker-1');
    const run = (line: string) => {
      const planArg = ['init', 'validate'].includes(parseCall(line).verb) ? shellWords(line)[3] : undefined;
      if (planArg && !fs.existsSync(path.join(p.dir, planArg))) {
        fs.mkdirSync(path.dirname(path.join(p.dir, planArg)), { recursive: true });
        fs.copyFileSync(path.join(p.dir, PLAN_PATH), path.join(p.dir, planArg));
      }
      const r = runLine(p.dir, line);
      expect(r.status, `\`${line}\`: ${r.stdout}${r.stderr}`).toBe(0);
      return r.stdout;
    };
    // `<SESSION>` is the id `init` prints: the test fixes it with --id.
    for (const l of loop.start) run(substitute(l, base) + (verbOf(l) === 'init' ? ` --id ${SESSION_ID}` : ''));
    const files = new Map((JSON.parse(run(`node .claude/scripts/orchestrate.mjs status --id ${SESSION_ID} --json`)) as { tickets: { id: string; files: string[] }[] }).tickets.map((t) => [t.id, t.files]));

    const running = new Map<string, Action>();
    const log: string[] = [];
    let returned: string[] = [];
    let dropped = loop.maxAttempts; // one agent comes back without a result (not where one attempt is all a ticket has)
    let rejected: { ticket: string; reason: string } | undefined;
    let end: Action | undefined;
    for (let step = 0; step < 300 && !end; step++) {
      // The simulated agents work between two calls, not during one: `--wait` (block while agents work) is
      // played as `--wait 0`, so a pure `wait` answers at once (the helper's own tests cover the blocking).
      const line = (returned.length === 0
        ? substitute(loop.next, base)
        : substitute(loop.returned, { ...base, agent: returned[0]! }) + returned.slice(1).map((w) => ` --returned ${w}`).join('')
      ).replace(/ --wait \d+/, ' --wait 0');
      expect(line).not.toContain('<');
      const answer = JSON.parse(run(line)) as { actions: Action[] };
      returned = [];
      for (const a of answer.actions) {
        if (a.do === 'spawn' || a.do === 'review') {
          expect(agentNamed(a.subagent_type!), `${a.subagent_type} is an agent of this pack`).toBeDefined();
          expect(a.prompt).toContain(SESSION_ID);
          expect(a.prompt).toContain(a.worker!);
          if (a.do === 'spawn' && rejected && a.ticket === rejected.ticket) {
            expect(a.prompt, 'the rework prompt carries the reviewer\'s reason').toContain(rejected.reason);
            rejected = undefined;
          }
          running.set(a.worker!, a);
        } else if (a.do !== 'wait') end = a;
      }
      if (end) break;
      const first = running.entries().next().value as [string, Action] | undefined;
      expect(first, `\`${line}\` printed nothing to run and no end: ${JSON.stringify(answer)}`).toBeDefined();
      const [worker, a] = first!;
      running.delete(worker);
      returned = [a.description!.split(' ')[0]!]; // what the prompt says to pass: the first word of the description
      const body = agentNamed(a.subagent_type!)!;
      const values = { ...base, agent: worker, ticket: a.ticket! };
      if (a.do === 'review') {
        const verdict = rejected === undefined && !log.some((x) => x.startsWith('reject')) ? 'reject' : 'approve';
        const verdictLine = substitute(helperLines(body).find((l) => verbOf(l) === verdict)!, values);
        if (verdict === 'reject') rejected = { ticket: a.ticket!, reason: String(parseCall(verdictLine).flags.get('--reason')) };
        run(verdictLine);
        log.push(`${verdict} ${a.ticket}`);
        continue;
      }
      if (!dropped) {
        dropped = true; // this agent "returns" without a result: next --returned must release its ticket
        log.push(`dropped ${a.ticket}`);
        continue;
      }
      const own = files.get(a.ticket!)?.length ? files.get(a.ticket!)! : [`work/${a.ticket}.txt`];
      for (const f of own) {
        fs.mkdirSync(path.dirname(path.join(p.dir, f)), { recursive: true });
        fs.appendFileSync(path.join(p.dir, f), `work of ${a.ticket} by ${worker}\n`);
      }
      execFileSync('git', ['add', '--', ...own], { cwd: p.dir });
      execFileSync('git', ['commit', '-q', '-m', `${a.ticket}: work`], { cwd: p.dir });
      const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: p.dir, encoding: 'utf8' }).trim();
      run(substitute(helperLines(body).find((l) => verbOf(l) === 'complete')!, { ...values, sha, files: own }));
      log.push(`complete ${a.ticket}`);
    }
    expect(end, `the run ends (${log.join(', ')})`).toMatchObject({ do: 'report' });
    const status = JSON.parse(run(`node .claude/scripts/orchestrate.mjs status --id ${SESSION_ID} --json`)) as { status: string; progress: { completed: number; total: number } };
    expect(status.status).toBe('completed');
    expect(status.progress.completed).toBe(status.progress.total);
    if (!loop.maxAttempts) expect(log.some((x) => x.startsWith('dropped'))).toBe(true);
    if (log.some((x) => x.startsWith('reject'))) expect(rejected, 'the rejected ticket was handed out again').toBeUndefined();
  });
});

/**
 * `/execution:resume` in a new conversation, with its own lines: a comprehensive run with a non-default
 * reviewer is paused with one ticket waiting in review; the resume command's `status`, `resume` (with
 * `--release`, as its text says for a new conversation) and `next` lines then continue it with the stored
 * settings — the review goes to the stored reviewer and new prompts carry the stored validation level —
 * without being told either.
 */
describe('/execution:resume continues with the stored settings', () => {
  it('shows the dashboard and runs the system gate when the stored settings say so (status --json `settings`)', () => {
    const body = commands.find((c) => c.name === '/execution:resume')!.md.body;
    expect(body).toContain('With `settings.dashboard` true in step 1\'s answer, show `node .claude/scripts/orchestrate.mjs dashboard --id <SESSION>` on each `wait`');
    const finish = body.slice(body.indexOf('## Finish'));
    expect(finish).toContain('With `settings.validation` `strict` or `comprehensive` in step 1\'s answer');
    expect(finish).toMatch(/subagent_type[^\n]*execution-coordinator[\s\S]*Mode: close\. Session <SESSION>\./);
    // the loop's `report` action leads to this Finish step
    expect(body).toMatch(/`report` → \*\*Finish\*\*, then show/);
  });

  it('reviews with the stored reviewer and prompts with the stored validation', () => {
    const resume = commands.find((c) => c.name === '/execution:resume')!;
    const lines = findHelperCalls(resume.md).map((c) => c.command);
    const p = factory.copy('fresh', 'worker-1');
    const helper = (...args: string[]) => {
      const r = spawnSync(process.execPath, ['.claude/scripts/orchestrate.mjs', ...args], { cwd: p.dir, encoding: 'utf8' });
      expect(r.status, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0);
      return r.stdout;
    };
    helper('init', PLAN_PATH, '--id', SESSION_ID, '--validation', 'comprehensive', '--reviewer', 'execution-coordinator', '--command', '/agent-orchestration');
    helper('activate', '--id', SESSION_ID);
    const first = (JSON.parse(helper('next', '--id', SESSION_ID, '--json')) as { actions: Action[] }).actions.find((a) => a.do === 'spawn')!;
    const ticket = (JSON.parse(helper('status', '--id', SESSION_ID, '--json')) as { tickets: { id: string; files: string[] }[] }).tickets.find((t) => t.id === first.ticket)!;
    for (const f of ticket.files) {
      fs.mkdirSync(path.dirname(path.join(p.dir, f)), { recursive: true });
      fs.writeFileSync(path.join(p.dir, f), 'work\n');
    }
    execFileSync('git', ['add', '--', ...ticket.files], { cwd: p.dir });
    execFileSync('git', ['commit', '-q', '-m', 'work'], { cwd: p.dir });
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: p.dir, encoding: 'utf8' }).trim();
    helper('complete', '--id', SESSION_ID, '--ticket', ticket.id, '--agent', first.worker!, '--summary', 'done', '--commit', sha, '--files', ticket.files.join(','), '--test-cmd', 'true', '--test-exit', '0');
    helper('pause', '--id', SESSION_ID, '--reason', 'end of the first conversation');

    const values = { plan: PLAN_PATH, session: SESSION_ID, agent: 'worker-1', ticket: '', sha, files: [], topic: 'rate-limiter' };
    const run = (raw: string, extra = '') => {
      const r = runLine(p.dir, substitute(raw, values) + extra);
      expect(r.status, `${raw}: ${r.stdout}${r.stderr}`).toBe(0);
      return r.stdout;
    };
    run(lines.find((l) => parseCall(l).verb === 'status')!);
    run(lines.find((l) => parseCall(l).verb === 'resume')!, ' --release');
    const actions = (JSON.parse(run(lines.find((l) => parseCall(l).verb === 'next' && !l.includes('--returned'))!)) as { actions: Action[] }).actions;
    const review = actions.find((a) => a.do === 'review');
    expect(review).toMatchObject({ ticket: ticket.id, subagent_type: 'execution-coordinator' });
    const spawns = actions.filter((a) => a.do === 'spawn');
    expect(spawns.length).toBeGreaterThan(0);
    for (const a of spawns) expect(a.prompt).toContain('comprehensive');
  });
});

/** The same definitions built as a plugin: agents are spawned by their namespaced name, the helper by `${CLAUDE_PLUGIN_ROOT}`. */
describe('the pack built as a plugin', () => {
  const pluginDir = path.join(outDir, 'plugin');
  execFileSync(process.execPath, ['bin/build-commands.js', '--target', 'plugin', '--out', pluginDir], { cwd: ROOT, stdio: 'pipe' });
  const files = walk(path.join(pluginDir, 'commands')).map((f) => parseMarkdown(f, fs.readFileSync(f, 'utf8')));

  it('builds every command', () => {
    expect(files.length).toBe(commands.length);
  });

  it.each(files.map((md) => [path.relative(pluginDir, md.file), md] as const))('%s spawns namespaced agents and pre-approves its helper calls', (_f, md) => {
    for (const m of md.body.matchAll(/subagent_type: "([^"]+)"/g)) expect(m[1]).toMatch(/^build-commands:[a-z0-9-]+$/);
    for (const m of md.body.matchAll(/subagent_type `([^`]+)`/g)) expect(m[1]).toMatch(/^build-commands:[a-z0-9-]+$/);
    const calls = findHelperCalls(md);
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) expect(c.command.startsWith('node ${CLAUDE_PLUGIN_ROOT}/scripts/orchestrate.mjs ')).toBe(true);
    expect(uncoveredHelperCalls(md)).toEqual([]);
  });
});
