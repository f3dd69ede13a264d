/**
 * Lint throughput: 1,000 files (600 commands, 300 agents, 100 skills in one `.claude` tree, contents cycled
 * from the pack's definitions, the lint corpus and the five seeds), linted with every rule at its default.
 * Baseline, in the same run: read the same files and write the same bytes elsewhere (what any tool must pay).
 * Prints the median of 3 runs for: baseline, lint in-process (discover + parse + all rules + stylish output),
 * and the CLI as a user runs it (a new node process running dist/build-commands.mjs `lint .`, printing the report;
 * wall-clock and the child's own CPU time). Run: npx tsx bench/lint.ts   Goal on the 2-core machine: CLI ≤ 2.0 s.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { activeRules, LintConfigSchema } from '../src/lint/config.ts';
import { formatStylish } from '../src/lint/formatters/stylish.ts';
import { RULES } from '../src/lint/registry.ts';
import { lintPaths } from '../src/lint/runner.ts';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const N = 1000;

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.name.endsWith('.md') && e.name !== 'expected.txt') out.push(p);
  }
  return out;
}

const sources = [...walk(path.join(root, 'commands')), ...walk(path.join(root, 'agents')), ...walk(path.join(root, 'test/fixtures/lint-corpus'))].map((p) => readFileSync(p, 'utf8'));
const dir = mkdtempSync(path.join(tmpdir(), 'bc-lint-bench-'));
const rels: string[] = [];
let bytes = 0;
for (let i = 0; i < N; i++) {
  const text = sources[i % sources.length]!;
  const rel = i < 600 ? `.claude/commands/g${i % 10}/cmd-${i}.md` : i < 900 ? `.claude/agents/agent-${i}.md` : `.claude/skills/skill-${i}/SKILL.md`;
  const body = i >= 600 && i < 900 ? text.replace(/^name: .*$/m, `name: agent-${i}`) : text;
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), body);
  rels.push(rel);
  bytes += Buffer.byteLength(body);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const time = async (fn: () => unknown | Promise<unknown>) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};

const copyDir = path.join(dir, '..', `${path.basename(dir)}-copy`);
const baseline = async () => {
  rmSync(copyDir, { recursive: true, force: true });
  for (const rel of rels) {
    const data = readFileSync(path.join(dir, rel));
    mkdirSync(path.dirname(path.join(copyDir, rel)), { recursive: true });
    writeFileSync(path.join(copyDir, rel), data);
  }
};
const rules = activeRules(RULES, LintConfigSchema.parse({}));
let found = 0;
const inProcess = async () => {
  const r = await lintPaths(['.'], dir, rules);
  found = r.diagnostics.length;
  formatStylish(r.diagnostics);
};
// The CLI as a user runs it, in a new process; the child also reports its own CPU time (user + system), which
// stays meaningful when other jobs share the 2 cores and stretch the wall-clock time.
const childScript = `import { main } from ${JSON.stringify(path.join(root, 'dist/build-commands.mjs'))};
const sink = { write: () => true };
const code = await main({ argv: ['lint', '.'], cwd: process.cwd(), stdout: process.stdout, stderr: sink, env: {} });
const u = process.cpuUsage();
process.stderr.write(JSON.stringify({ code, cpuMs: (u.user + u.system) / 1000 }));`;
const cpu: number[] = [];
const cliRun = () => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', childScript], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  cpu.push(JSON.parse(r.stderr).cpuMs as number);
};

const b: number[] = [];
const l: number[] = [];
const c: number[] = [];
for (let i = 0; i < 3; i++) {
  b.push(await time(baseline));
  l.push(await time(inProcess));
  c.push(await time(cliRun));
}
const mb = median(b);
const ml = median(l);
const mc = median(c);
console.log(`files: ${N} (600 commands, 300 agents, 100 skills), ${(bytes / 1024).toFixed(0)} KiB, ${found} diagnostics, ${RULES.length} rules`);
console.log(`baseline read+write same bytes: ${mb.toFixed(0)} ms`);
console.log(`lint in-process:                ${ml.toFixed(0)} ms  (${(ml / mb).toFixed(1)}x baseline, ${(ml / N).toFixed(2)} ms/file)`);
console.log(`lint CLI (new node process, dist bundle): ${mc.toFixed(0)} ms wall, ${median(cpu).toFixed(0)} ms CPU  (${(mc / mb).toFixed(1)}x baseline)  goal <= 2000 ms wall: ${mc <= 2000 ? 'met' : 'NOT met'}`);
console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} (2 cores shared)`);
console.log(`runs (ms): baseline ${b.map((x) => x.toFixed(0)).join(', ')}; in-process ${l.map((x) => x.toFixed(0)).join(', ')}; CLI wall ${c.map((x) => x.toFixed(0)).join(', ')}; CLI CPU ${cpu.map((x) => x.toFixed(0)).join(', ')}`);
rmSync(dir, { recursive: true, force: true });
rmSync(copyDir, { recursive: true, force: true });
