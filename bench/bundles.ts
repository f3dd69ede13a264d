/**
 * What the helper benchmarks share: the helper bundles to measure, built into a temp folder (the checkout is
 * left exactly as it was: `dist/` is neither read nor written unless named), percentiles, and the CPU time of
 * finished child processes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** One helper bundle to measure: a short label and the path of its `orchestrate.mjs`. */
export interface Bundle {
  label: string;
  file: string;
}

/**
 * The bundles named by `--bundle [LABEL=]FILE` options (several are measured interleaved: before/after
 * comparisons under the same machine load), or, with none, the current sources bundled into a fresh temp
 * folder (`scripts/bundle.mjs --out-dir`), labelled `src`.
 */
export function bundlesFrom(specs: readonly string[] | undefined): Bundle[] {
  if (specs && specs.length > 0) {
    return specs.map((s) => {
      const eq = s.indexOf('=');
      const file = path.resolve(eq === -1 ? s : s.slice(eq + 1));
      return { label: eq === -1 ? path.basename(file, '.mjs') : s.slice(0, eq), file };
    });
  }
  const out = mkdtempSync(path.join(tmpdir(), 'bench-bundle-'));
  execFileSync(process.execPath, ['scripts/bundle.mjs', '--out-dir', out], { cwd: ROOT, stdio: 'inherit' });
  return [{ label: 'src', file: path.join(out, 'orchestrate.mjs') }];
}

/** The `p`-th percentile (0–100) of `xs` (nearest rank; 0 for an empty list). */
export function pct(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;
}

/** The median of `xs`. */
export function median(xs: readonly number[]): number {
  return pct(xs, 50);
}

/**
 * CPU time (user + system, ms) of this process's children that have finished and been waited for, from
 * `/proc/self/stat` (cutime + cstime, in clock ticks of 10 ms). NaN where there is no /proc (not Linux).
 */
export function childCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): cutime is field 16, cstime field 17
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** `--name` values of a repeatable string option as parsed by node:util parseArgs. */
export function many(v: string | boolean | (string | boolean)[] | undefined): string[] {
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
}
