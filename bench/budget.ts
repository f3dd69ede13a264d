/**
 * Token budget of the built pack: for every built command and agent, its size and estimated tokens
 * (characters ÷ 4, the estimate the pack issue uses), on invoke (the whole file, and its body) and always
 * on (the description Claude Code lists for every command and agent in every session, CLAUDE-CODE.md
 * "Commands"). Compared with seed 003, `/orchestrate/execute` as it was (~7.1k tokens on invoke, seen with
 * `claude plugin details`). Prints figures; asserts nothing.
 *
 * With `--before REV`, also builds the pack's definitions (`commands/`, `agents/`, `templates/`) as they were at
 * git revision REV, with today's compiler, and prints each file's body tokens then and now (the figure a
 * prompt change is judged by). The revision is read with `git archive` into a temporary folder: the
 * checkout is left exactly as it was.
 *
 * Usage: npx tsx bench/budget.ts [--dir BUILT_CLAUDE_DIR] [--before REV] [--seed003 FILE]
 *   --dir     an already built `.claude/` folder (default: build the pack into a temporary folder)
 *   --before  a git revision (commit, tag, `HEAD~3`) to compare body tokens with
 *   --seed003 seed 003 as it was (default: the project's own copy,
 *             test/fixtures/lint-corpus/seeds/.claude/commands/orchestrate/execute.md)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseMarkdown } from '../src/definitions/frontmatter.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const COMMAND_BUDGET = 2000;
const AGENT_BUDGET = 1200;

/** Estimated tokens of `chars` characters (chars ÷ 4, rounded up). */
function tokens(chars: number): number {
  return Math.ceil(chars / 4);
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : []))
    .sort();
}

const { values } = parseArgs({ options: { dir: { type: 'string' }, before: { type: 'string' }, seed003: { type: 'string' } } });
let dir = values.dir;
let tmp: string | undefined;
if (!dir) {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'budget-'));
  dir = path.join(tmp, '.claude');
  execFileSync(process.execPath, ['bin/build-commands.js', '--out', dir], { cwd: ROOT, stdio: 'pipe' });
}

interface Row {
  kind: 'command' | 'agent';
  name: string;
  file: number;
  body: number;
  description: number;
  budget: number;
}

/** One row per built command and agent of the `.claude/` folder `root`. */
function measure(root: string): Row[] {
  const out: Row[] = [];
  for (const kind of ['command', 'agent'] as const) {
    const base = path.join(root, kind === 'command' ? 'commands' : 'agents');
    for (const f of walk(base)) {
      const text = fs.readFileSync(f, 'utf8');
      const md = parseMarkdown(f, text);
      const rel = path.relative(base, f).replace(/\.md$/, '').split(path.sep).join(':');
      out.push({
        kind,
        name: kind === 'command' ? `/${rel}` : rel,
        file: tokens(text.length),
        body: tokens(md.body.length),
        description: tokens(String(md.data.description ?? '').length),
        budget: kind === 'command' ? COMMAND_BUDGET : AGENT_BUDGET,
      });
    }
  }
  return out;
}

/** Builds the definitions of git revision `rev` with today's compiler into a temporary `.claude/`; returns it. */
function buildRevision(rev: string, into: string): string {
  const src = path.join(into, 'src');
  fs.mkdirSync(src, { recursive: true });
  const paths = ['commands', 'agents', 'templates'].filter((p) => {
    try {
      execFileSync('git', ['cat-file', '-e', `${rev}:${p}`], { cwd: ROOT, stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  });
  const tar = execFileSync('git', ['archive', '--format=tar', rev, ...paths], { cwd: ROOT, maxBuffer: 64 << 20 });
  execFileSync('tar', ['-x', '-C', src], { input: tar });
  const out = path.join(into, '.claude');
  execFileSync(process.execPath, [path.join(ROOT, 'bin/build-commands.js'), '--src', src, '--out', out], { cwd: into, stdio: 'pipe' });
  return out;
}

const rows = measure(dir);

const pad = (s: string | number, n: number, right = false) => (right ? String(s).padStart(n) : String(s).padEnd(n));
const width = Math.max(28, ...rows.map((r) => r.name.length));
const line = `${'-'.repeat(width)}  -------  -----------  -----------  ------  ----`;
console.log(`${pad('file', width)}  ${pad('kind', 7)}  ${pad('invoke:file', 11, true)}  ${pad('invoke:body', 11, true)}  ${pad('always', 6, true)}  ok`);
console.log(line);
for (const r of rows) {
  console.log(`${pad(r.name, width)}  ${pad(r.kind, 7)}  ${pad(r.file, 11, true)}  ${pad(r.body, 11, true)}  ${pad(r.description, 6, true)}  ${r.body <= r.budget ? 'yes' : 'OVER'}`);
}
console.log(line);
for (const kind of ['command', 'agent'] as const) {
  const k = rows.filter((r) => r.kind === kind);
  const sum = (f: (r: Row) => number) => k.reduce((a, r) => a + f(r), 0);
  const max = k.reduce((a, r) => (r.body > a.body ? r : a), k[0]!);
  console.log(`${pad(`${kind}s (${k.length})`, width)}  ${pad('total', 7)}  ${pad(sum((r) => r.file), 11, true)}  ${pad(sum((r) => r.body), 11, true)}  ${pad(sum((r) => r.description), 6, true)}  largest body ${max.name} ${max.body} of ${max.budget}`);
}
const all = (f: (r: Row) => number) => rows.reduce((a, r) => a + f(r), 0);
console.log(`${pad(`all (${rows.length})`, width)}  ${pad('total', 7)}  ${pad(all((r) => r.file), 11, true)}  ${pad(all((r) => r.body), 11, true)}  ${pad(all((r) => r.description), 6, true)}`);

if (values.before) {
  const beforeTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'budget-before-'));
  try {
    const then = new Map(measure(buildRevision(values.before, beforeTmp)).map((r) => [`${r.kind}:${r.name}`, r]));
    console.log('');
    console.log(`body tokens at ${values.before} and now:`);
    console.log(`${pad('file', width)}  ${pad('before', 6, true)}  ${pad('now', 6, true)}  ${pad('change', 7, true)}`);
    let sumThen = 0;
    let sumNow = 0;
    for (const r of rows) {
      const b = then.get(`${r.kind}:${r.name}`)?.body;
      sumThen += b ?? 0;
      sumNow += r.body;
      const change = b === undefined ? 'new' : `${r.body - b >= 0 ? '+' : ''}${r.body - b}`;
      console.log(`${pad(r.name, width)}  ${pad(b ?? '-', 6, true)}  ${pad(r.body, 6, true)}  ${pad(change, 7, true)}`);
    }
    console.log(`${pad('all', width)}  ${pad(sumThen, 6, true)}  ${pad(sumNow, 6, true)}  ${pad(`${sumNow - sumThen >= 0 ? '+' : ''}${sumNow - sumThen}`, 7, true)}`);
  } finally {
    fs.rmSync(beforeTmp, { recursive: true, force: true });
  }
}

const seed003 = values.seed003 ?? path.join(ROOT, 'test/fixtures/lint-corpus/seeds/.claude/commands/orchestrate/execute.md');
console.log('');
if (fs.existsSync(seed003)) {
  const text = fs.readFileSync(seed003, 'utf8');
  const orch = rows.find((r) => r.name === '/orchestrate:execute');
  const spawned = ['workflow-executor', 'coordination-monitor', 'git-integrator', 'dependency-validator', 'blocker-detector']
    .map((n) => rows.find((r) => r.kind === 'agent' && r.name === n)?.file ?? 0)
    .reduce((a, b) => a + b, 0);
  console.log(`seed 003 original (${path.relative(ROOT, seed003)}): ${text.length} chars, ~${tokens(text.length)} tokens on invoke`);
  if (orch) {
    console.log(`/orchestrate:execute now: ~${orch.file} tokens on invoke (${Math.round((100 * orch.file) / tokens(text.length))}% of the original)`);
    console.log(`  + its five agents' system prompts, each in its own context: ~${spawned} tokens in total`);
  }
} else console.log(`seed 003 not found at ${seed003}`);
if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
