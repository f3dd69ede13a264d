import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { claudeBin } from '../e2e/stand-in/run-claude.ts';
import { findHelperCalls, uncoveredHelperCalls, allowedToolRules } from '../../src/build/coverage.ts';
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

/**
 * The runner commands' loop, played with their own lines: start (validate, init, activate), then waves of
 * `claim` for worker 1…N, each claimed ticket finished by the spawned agent's own `complete` line (after a
 * real commit of its files), then `status --json` — until the status is `completed`. Proves the stop
 * condition is reachable with exactly the lines the prompts give. Identical loops are played once.
 */
describe('runner loops reach `completed` with their own lines', () => {
  const helperLines = (b: Built) => findHelperCalls(b.md).map((c) => c.command);
  const verbOf = (l: string) => parseCall(l).verb;
  const loops = new Map<string, { names: string[]; start: string[]; claim: string; complete: string; status: string }>();
  for (const c of commands) {
    const lines = helperLines(c);
    const claim = lines.find((l) => verbOf(l) === 'claim');
    const status = lines.find((l) => verbOf(l) === 'status' && l.includes('--json') && !l.includes('--id'));
    const spawned = [...c.md.body.matchAll(/subagent_type: "([^"]+)"/g)].map((m) => m[1]!);
    const worker = spawned.map((n) => agents.find((a) => a.name === n)).find((a) => a && helperLines(a).some((l) => verbOf(l) === 'complete'));
    if (!claim || !status || !worker) continue;
    const complete = helperLines(worker).find((l) => verbOf(l) === 'complete' && !l.includes('--verify'))!;
    const start = lines.filter((l) => ['validate', 'init', 'activate'].includes(verbOf(l))).filter((l, i, a) => a.indexOf(l) === i);
    const key = JSON.stringify([start.length > 0, claim, complete, status]);
    const hit = loops.get(key);
    if (hit) hit.names.push(c.name);
    else loops.set(key, { names: [c.name], start, claim, complete, status });
  }

  it('finds the loop in the runner commands', () => {
    expect([...loops.values()].flatMap((l) => l.names)).toEqual(expect.arrayContaining(['/execute-plan', '/execute-parallel-plan', '/orchestrate:execute', '/execute']));
  });

  it.each([...loops.values()].map((l) => [l.names.join(', '), l] as const))('%s', (_names, loop) => {
    const base = { plan: PLAN_PATH, session: SESSION_ID, agent: 'worker-1', sha: '@SHA@', files: ['@FILES@'], topic: 'rate-limiter' };
    // Lines that start a session run in a fresh repository; without them, the session is already running.
    const hasInit = loop.start.some((l) => parseCall(l).verb === 'init');
    const p = factory.copy(hasInit ? 'fresh' : 'coordinating', 'worker-1');
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
    for (const l of loop.start) run(substitute(l, { ...base, ticket: '' }));
    const agentsN = (JSON.parse(run(substitute(loop.status, { ...base, ticket: '' }))) as { agents: number }).agents;
    let status = '';
    for (let wave = 0; wave < 40 && status !== 'completed'; wave++) {
      const claimed: { id: string; files: string[]; agent: string }[] = [];
      for (let n = 1; n <= agentsN; n++) {
        const line = substitute(loop.claim, { ...base, ticket: '' }).replace(/(--agent \S*?)-1\b/, `$1-${n}`);
        const out = JSON.parse(run(line)) as { ticket: { id: string; files: string[]; agent: string } | null };
        if (!out.ticket) break;
        claimed.push(out.ticket);
      }
      for (const t of claimed) {
        if (t.files.length === 0) t.files = [`work/${t.id}.txt`];
        for (const f of t.files) {
          fs.mkdirSync(path.dirname(path.join(p.dir, f)), { recursive: true });
          fs.appendFileSync(path.join(p.dir, f), `work of ${t.id}\n`);
        }
        execFileSync('git', ['add', '--', ...t.files], { cwd: p.dir });
        execFileSync('git', ['commit', '-q', '-m', `${t.id}: work`], { cwd: p.dir });
        const sha = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: p.dir, encoding: 'utf8' }).trim();
        run(substitute(loop.complete, { ...base, agent: t.agent, ticket: t.id, sha, files: t.files }));
      }
      status = (JSON.parse(run(substitute(loop.status, { ...base, ticket: '' }))) as { status: string }).status;
    }
    expect(status).toBe('completed');
    const last = JSON.parse(run(substitute(loop.claim, { ...base, ticket: '' }))) as { ticket: unknown };
    expect(last.ticket).toBeNull();
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
