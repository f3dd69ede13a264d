/**
 * `claim` latency of the bundled helper at several plan sizes, against two baselines measured in the same run,
 * interleaved (so machine load hits all alike):
 * - `node -e 0`: the cost of starting Node at all;
 * - "minimal write": a Node script doing the least a correct full-file store must do for one change of a file
 *   of the same size: take a lock file (link), read the file, write the same bytes to a temp file, fsync,
 *   rename, fsync the folder, drop the lock.
 * Every timed claim runs on the same state: a freshly activated session (restored from a snapshot before each
 * run), whose plan has chains of 4 dependent tickets on distinct files. Prints p50/p95 in ms, the ratios, the
 * CPU time per call (children's user + system), and each helper's start-up alone (`--version`: Node plus loading
 * the one-file helper, no state read), the floor under every call. Asserts nothing; leaves the checkout as it was (the
 * helper is bundled into a temp folder, see bundles.ts).
 *
 *   npx tsx bench/claim.ts [--runs 15] [--sizes 13,100,500,2000,10000] [--bundle [LABEL=]FILE ...]
 *
 * With several `--bundle`s the bundles are measured interleaved (before/after under the same load).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { bundlesFrom, childCpuMs, many, pct, type Bundle } from './bundles.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '15' }, sizes: { type: 'string', default: '13,100,500,2000,10000' }, bundle: { type: 'string', multiple: true } },
});
const runs = Math.max(5, Number(values.runs));
const sizes = String(values.sizes).split(',').map(Number).filter((n) => n > 0);
const bundles = bundlesFrom(many(values.bundle));

/** Script of the "minimal write" baseline (CommonJS: `require('fs')` loads nothing more). */
const MINIMAL_WRITE = `const fs = require('node:fs'); const path = require('node:path');
const file = process.argv[2]; const lock = file + '.lock'; const tmp = lock + '.' + process.pid + '.tmp';
fs.writeFileSync(tmp, JSON.stringify({ pid: process.pid, time: Date.now() })); fs.linkSync(tmp, lock); fs.unlinkSync(tmp);
const bytes = fs.readFileSync(file); const t = path.join(path.dirname(file), '.' + path.basename(file) + '.' + process.pid + '.tmp');
const fd = fs.openSync(t, 'wx'); fs.writeSync(fd, bytes); fs.fsyncSync(fd); fs.closeSync(fd); fs.renameSync(t, file);
const d = fs.openSync(path.dirname(file), 'r'); fs.fsyncSync(d); fs.closeSync(d); fs.unlinkSync(lock);`;

/** Milliseconds one run of `node args` takes in `cwd` (throws on a non-zero exit). */
function timeMs(args: string[], cwd: string): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** A plan of `n` tickets: chains of 4 (each depends on the one before), distinct files. */
function planText(n: number): string {
  const lines = ['title: bench', `agents: ${Math.min(n, 64)}`, 'strategy: maximum', 'tickets:'];
  for (let i = 0; i < n; i++) {
    const deps = i % 4 === 0 ? '[]' : `[T${i - 1}]`;
    lines.push(`  - {id: T${i}, title: "Ticket ${i} of the bench plan", estimate: ${15 + (i % 7) * 5}, dependencies: ${deps}, files: [src/f${i}.ts]}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Every file under `dir` (relative path → bytes). */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (rel: string) => {
    for (const n of readdirSync(path.join(dir, rel))) {
      const r = path.join(rel, n);
      if (statSync(path.join(dir, r)).isDirectory()) walk(r);
      else out.set(r, readFileSync(path.join(dir, r)));
    }
  };
  walk('');
  return out;
}

/** Puts `dir` back to `snap` (rewrites every file; removes the others). */
function restore(dir: string, snap: Map<string, Buffer>): void {
  rmSync(dir, { recursive: true, force: true });
  for (const [rel, bytes] of snap) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), bytes);
  }
}

interface Lane {
  bundle: Bundle;
  dir: string;
  state: string;
  snap: Map<string, Buffer>;
  ms: number[];
  cpu: number;
  /** Wall times of `--version`: the helper's start-up alone (Node + loading the one-file helper). */
  startMs: number[];
}

console.log(`claim latency, ${runs} runs per size, interleaved (node ${process.version}, ${cpus().length} cpus, load ${loadavg().map((x) => x.toFixed(1)).join(' ')})`);
for (const size of sizes) {
  const work = mkdtempSync(path.join(tmpdir(), 'bench-claim-'));
  writeFileSync(path.join(work, 'plan.yaml'), planText(size));
  writeFileSync(path.join(work, 'minimal-write.cjs'), MINIMAL_WRITE);
  const lanes: Lane[] = bundles.map((bundle, i) => {
    const dir = path.join(work, `lane${i}`);
    mkdirSync(dir);
    execFileSync(process.execPath, [bundle.file, 'init', '../plan.yaml', '--id', 'b'], { cwd: dir });
    execFileSync(process.execPath, [bundle.file, 'activate'], { cwd: dir });
    const orch = path.join(dir, '.orchestration');
    return { bundle, dir, state: orch, snap: snapshot(orch), ms: [], cpu: 0, startMs: [] };
  });
  const yaml = readFileSync(path.join(lanes[0]!.state, 'sessions/b.yaml'));
  const mwDir = path.join(work, 'mw');
  mkdirSync(mwDir);
  const mwFile = path.join(mwDir, 'b.yaml');
  writeFileSync(mwFile, yaml);
  const base: number[] = [];
  const minimal: number[] = [];
  let baseCpu = 0;
  let minimalCpu = 0;
  for (let i = 0; i < runs; i++) {
    let c = childCpuMs();
    base.push(timeMs(['-e', '0'], work));
    baseCpu += childCpuMs() - c;
    c = childCpuMs();
    minimal.push(timeMs([path.join(work, 'minimal-write.cjs'), mwFile], work));
    minimalCpu += childCpuMs() - c;
    for (const lane of lanes) {
      restore(lane.state, lane.snap);
      c = childCpuMs();
      lane.ms.push(timeMs([lane.bundle.file, 'claim', '--agent', `a${i}`, '--json'], lane.dir));
      lane.cpu += childCpuMs() - c;
      lane.startMs.push(timeMs([lane.bundle.file, '--version'], lane.dir));
    }
  }
  const b50 = pct(base, 50);
  const b95 = pct(base, 95);
  const m50 = pct(minimal, 50);
  const m95 = pct(minimal, 95);
  console.log(
    `${String(size).padStart(6)} tickets (${(yaml.length / 1024).toFixed(0)} KB): node -e 0 p50 ${b50.toFixed(1)} p95 ${b95.toFixed(1)} ms, cpu ${(baseCpu / runs).toFixed(0)} ms | minimal write p50 ${m50.toFixed(1)} p95 ${m95.toFixed(1)} ms, cpu ${(minimalCpu / runs).toFixed(0)} ms`,
  );
  for (const lane of lanes) {
    const c50 = pct(lane.ms, 50);
    const c95 = pct(lane.ms, 95);
    const s50 = pct(lane.startMs, 50);
    console.log(
      `         ${lane.bundle.label.padEnd(8)} claim p50 ${c50.toFixed(1)} p95 ${c95.toFixed(1)} ms, cpu ${(lane.cpu / runs).toFixed(0)} ms | ×node -e 0: p50 ${(c50 / b50).toFixed(2)} p95 ${(c95 / b95).toFixed(2)} | ×minimal write: p50 ${(c50 / m50).toFixed(2)} p95 ${(c95 / m95).toFixed(2)} | start-up (--version) p50 ${s50.toFixed(1)} ms = ${(s50 / b50).toFixed(2)}× node -e 0`,
    );
  }
  rmSync(work, { recursive: true, force: true });
}
