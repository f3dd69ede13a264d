/**
 * Build benchmark: 1,000 generated definitions (800 commands in 8 namespaces, 200 agents) in a temp folder.
 * Prints the median of RUNS full builds into an empty folder, a no-change rebuild, and baselines that only
 * read the same source files and write the same output bytes in the same process — with writeFilesAtomic
 * (what the build uses), plain writeFileSync, and writeFileAtomic one file after another — with the ratios. Goal: full build <= 1.0 s on the 2-core box.
 * Run: npx tsx bench/build.ts   (prints figures, asserts nothing)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fg from 'fast-glob';
import { build } from '../src/compiler/build.ts';
import { writeFilesAtomic } from '../src/compiler/write-batch.ts';
import { writeFileAtomic } from '../src/util/atomic-write.ts';

const RUNS = 5;
const COMMANDS = 800;
const AGENTS = 200;

/** Writes the definitions tree; returns its folder. */
function generate(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bc-bench-'));
  mkdirSync(path.join(dir, 'agents'), { recursive: true });
  for (let a = 0; a < AGENTS; a++) {
    writeFileSync(
      path.join(dir, 'agents', `agent-${a}.md`),
      `---\nname: agent-${a}\ndescription: "Implements one claimed ticket of kind ${a}: test first, commit, report"\ntools:\n  - Read\n  - Edit\n  - Bash\nmodel: sonnet\n---\nYou are {{name}}.\n\n1. Heartbeat:\n   \`\`\`bash\n   {{orchestrate "heartbeat --agent <AGENT> --ticket <TICKET> --progress <PCT>"}}\n   \`\`\`\n2. Implement the ticket test-first.\n3. Complete:\n   \`\`\`bash\n   {{orchestrate "complete --ticket <TICKET> --agent <AGENT> --summary <SUMMARY>"}}\n   \`\`\`\n${'Keep changes small and focused; never touch files outside the ticket.\n'.repeat(10)}`,
    );
  }
  for (let c = 0; c < COMMANDS; c++) {
    const ns = `ns${c % 8}`;
    mkdirSync(path.join(dir, 'commands', ns), { recursive: true });
    writeFileSync(
      path.join(dir, 'commands', ns, `cmd-${c}.md`),
      `---\ndescription: "Run plan step ${c}: validate, claim, spawn workers, report"\nargument-hint: "<plan.yaml> [agents]"\nallowed-tools:\n  - Read\n  - Glob\n  - "Bash(git status:*)"\n---\n# Step ${c}\n\nPlan: \`$0\`.\n\n\`\`\`bash\n{{orchestrate 'validate "$0"'}}\n{{orchestrate 'init "$0"'}}\n{{orchestrate "claim --agent worker-1 --json"}}\n\`\`\`\n\n{{#spawn "agent-${c % AGENTS}" count=3 description="Implement claimed tickets"}}\nTicket <TICKET>: <TITLE>. Your agent name: worker-<N>. Use {{agent "agent-${(c + 1) % AGENTS}"}} for review.\n{{/spawn}}\n\n${'Report progress with the status verb after each wave; stop when nothing is claimable.\n'.repeat(15)}\`{{orchestrate "report --format markdown"}}\`\n`,
    );
  }
  return dir;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(0)} ms`;

const src = generate();
const times: number[] = [];
const rebuilds: number[] = [];
let files = 0;
for (let i = 0; i < RUNS; i++) {
  const out = path.join(src, `out-${i}`);
  let t = performance.now();
  const report = await build({ cwd: src, src, out });
  times.push(performance.now() - t);
  files = report.files.length;
  t = performance.now();
  await build({ cwd: src, src, out });
  rebuilds.push(performance.now() - t);
}

// Baselines: read every source file and write the same output bytes (from the last build) to a fresh folder.
const sources = fg.sync(['commands/**/*.md', 'agents/*.md'], { cwd: src }).sort();
const outDir = path.join(src, `out-${RUNS - 1}`);
const outputs = fg.sync(['**/*'], { cwd: outDir, dot: true }).sort().map((rel) => ({ rel, bytes: readFileSync(path.join(outDir, rel)) }));
const baseline = async (name: string, write: (files: { file: string; data: Buffer }[]) => void | Promise<void>) => {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dest = path.join(src, `base-${i}-${name}`);
    const t = performance.now();
    for (const rel of sources) readFileSync(path.join(src, rel));
    await write(outputs.map(({ rel, bytes }) => ({ file: path.join(dest, rel), data: bytes })));
    runs.push(performance.now() - t);
  }
  return median(runs);
};
const oneByOne = (writeOne: (file: string, data: Buffer) => void) => (files: { file: string; data: Buffer }[]) => {
  for (const { file, data } of files) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeOne(file, data);
  }
};
const plain = await baseline('plain', oneByOne((f, d) => writeFileSync(f, d)));
const atomic = await baseline('atomic', oneByOne((f, d) => writeFileAtomic(f, d)));
const batch = await baseline('batch', (files) => writeFilesAtomic(files));
const full = median(times);

process.stdout.write(
  [
    `definitions: ${COMMANDS} commands + ${AGENTS} agents = ${sources.length} files; output: ${files} files + manifest (${outputs.reduce((n, o) => n + o.bytes.length, 0)} bytes)`,
    `full build (empty out), median of ${RUNS}:       ${ms(full)}   [runs: ${times.map(ms).join(', ')}]`,
    `rebuild, nothing changed, median of ${RUNS}:     ${ms(median(rebuilds))}`,
    `baseline read+write, writeFilesAtomic (batched fsync, what the build uses): ${ms(batch)}   ratio build/baseline = ${(full / batch).toFixed(2)}`,
    `baseline read+write, writeFileSync (no fsync):                             ${ms(plain)}   ratio build/baseline = ${(full / plain).toFixed(2)}`,
    `baseline read+write, writeFileAtomic one by one (2 fsyncs per file):       ${ms(atomic)}   ratio build/baseline = ${(full / atomic).toFixed(2)}`,
    `goal: full build <= 1000 ms -> ${full <= 1000 ? 'met' : 'NOT met'}  (load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)`,
    '',
  ].join('\n'),
);
rmSync(src, { recursive: true, force: true });
