import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
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

  it('passes `claude plugin validate --strict`', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-home-'));
    const bin = path.join(ROOT, 'node_modules/.bin/claude');
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
