/**
 * Lint time against file size: one command file of 10k, 20k and 40k lines (links, inline commands, `$N`,
 * shell blocks with functions, `{{...}}` — the shapes that were superlinear), linted in memory with every rule.
 * Prints wall and CPU ms per size and per line; time linear in the size means a flat ms/1k-lines column.
 * Then the same for runs of one shape that were quadratic: blank lines or `\r` after a `()` (the shell-function
 * pattern matched across the run from each line start), and one line of many `$N` (each reread the whole line).
 * Run: npx tsx bench/lint-scaling.ts
 */
import os from 'node:os';
import { activeRules, LintConfigSchema } from '../src/lint/config.ts';
import { RULES } from '../src/lint/registry.ts';
import { lintMemory } from '../src/lint/runner.ts';

const rules = activeRules(RULES, LintConfigSchema.parse({}));

/** A body of `n` lines cycling through the costly shapes. */
function bigFile(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % 50;
    lines.push(k === 0 ? '```bash' : k === 10 ? '```' : k < 10 ? 'f() { local x=$1; }' : `See [doc ${i}](missing/${i}.md) and \`git log -n ${i}\` and $${i % 9} {{x}}`);
  }
  return `---\ndescription: big\nallowed-tools: Read\n---\n${lines.join('\n')}\n`;
}

console.log(`| lines | wall ms | CPU ms | CPU ms per 1k lines |  (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)`);
console.log('|---:|---:|---:|---:|');
for (const n of [10_000, 20_000, 40_000]) {
  const text = bigFile(n);
  const t = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const r = lintMemory({ '.claude/commands/big.md': text }, rules);
  const c = process.cpuUsage(c0);
  const wall = Number(process.hrtime.bigint() - t) / 1e6;
  const cpu = (c.user + c.system) / 1000;
  console.log(`| ${n} | ${wall.toFixed(0)} | ${cpu.toFixed(0)} | ${((cpu * 1000) / n).toFixed(1)} |  (${r.diagnostics.length} findings)`);
}

/** Runs of one shape, `n` units long. */
const RUNS: Record<string, (n: number) => string> = {
  'blank lines after `f() {`': (n) => `f() {\nfunction\n${'\n'.repeat(n)}x\n`,
  '`\\r` after `() function`': (n) => `() function\n${'\r'.repeat(n)}x\n`,
  '`$1` on one shell line': (n) => `\`\`\`bash\n${'echo $1 '.repeat(n)}\n\`\`\`\n`,
};

console.log('\n| run | units | CPU ms | CPU ms per 1k units |');
console.log('|---|---:|---:|---:|');
for (const [name, make] of Object.entries(RUNS)) {
  for (const n of [10_000, 20_000, 40_000]) {
    const text = `---\ndescription: run\nallowed-tools: Read\n---\n${make(n)}`;
    const c0 = process.cpuUsage();
    lintMemory({ '.claude/commands/run.md': text }, rules);
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1000;
    console.log(`| ${name} | ${n} | ${cpu.toFixed(0)} | ${((cpu * 1000) / n).toFixed(1)} |`);
  }
}
