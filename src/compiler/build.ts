import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ToolError } from '../diagnostics/errors.ts';
import { compileDefinitions } from './compile.ts';
import { displayPath } from '../definitions/load.ts';
import { applyOutput, checkOutput, conflictError, planOutput, type FileAction, type Staleness } from './output.ts';
import { checkOutFolder, lockOutFolder } from './out-folder.ts';
import { packageRoot } from './package-root.ts';
import { defaultLayout, defaultOut, outputLabel, type Layout, type TargetName } from './target.ts';

/** How a build runs: write the files, only list them (`dry-run`), or compare with the disk (`check`). */
export type BuildMode = 'write' | 'dry-run' | 'check';

/**
 * Input of {@link build}. Relative `src`/`out` resolve against `cwd`; omitted ones take the defaults.
 * `layout` (commands or skills) applies to the plugin target; the others imply theirs ({@link defaultLayout}).
 */
export interface BuildOptions {
  cwd: string;
  src?: string;
  out?: string;
  target?: TargetName;
  layout?: Layout;
  mode?: BuildMode;
  /** How long a write waits for another build of the same `out` folder, in ms (default 60,000). */
  lockTimeoutMs?: number;
}

/**
 * The result of {@link build}. `files` lists every generated path (relative to `out`) with its action (for
 * `check`: `unchanged` unless listed in `stale`); `changed` counts creates, updates and deletes; `stale` is
 * set in `check` mode (empty = fresh). `out`/`src` are as shown to the user (relative to the cwd).
 */
export interface BuildReport {
  target: TargetName;
  layout: Layout;
  mode: BuildMode;
  src: string;
  out: string;
  commands: number;
  agents: number;
  files: { path: string; action: FileAction }[];
  changed: number;
  stale?: Staleness[];
}

/** True when `dir` is a folder. */
function isDir(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory();
}

/**
 * The default definitions folder (DESIGN.md "Public surface"): `cwd` when it has `commands/` or `agents/`,
 * otherwise the built-in pack (the package's own `commands/` and `agents/`).
 */
export function defaultSrc(cwd: string): string {
  return isDir(path.join(cwd, 'commands')) || isDir(path.join(cwd, 'agents')) ? cwd : packageRoot();
}

/**
 * Builds (or checks, or dry-runs) definitions into an output folder: compiles everything in memory, plans
 * the output against the previous manifest, and only then writes — atomically per file, manifest last.
 * Throws ToolError `InvalidArguments` (no `commands/` or `agents/` in `src`; a `layout` other than the target's
 * own for `claude`/`skills`; an `out` that is a file or lies below one), `InvalidDefinitions` (every problem of every file), `OutputConflict` (files in the
 * way; nothing written; also in dry-run), `MissingBundle`, `UnsafePath` (an output folder such as `/`, the home
 * folder or the repository root; a symbolic link on the way to a file) or `OutputBusy` (another build kept
 * the folder's lock too long). A write holds the output folder's lock while it plans and writes, so two
 * builds into one folder run one after the other. In `check` mode nothing is written and the report's
 * `stale` lists the differences.
 */
export async function build(opts: BuildOptions): Promise<BuildReport> {
  const target = opts.target ?? 'claude';
  const mode = opts.mode ?? 'write';
  const layout = opts.layout ?? defaultLayout(target);
  if (target !== 'plugin' && layout !== defaultLayout(target))
    throw new ToolError('InvalidArguments', `Unexpected --layout \`${layout}\` with --target ${target}: the layout is chosen with --target plugin only`, { hint: `Use --target ${layout === 'skills' ? 'skills' : 'claude'} for ${layout} in .claude/.` });
  const label = outputLabel(target, layout);
  const src = path.resolve(opts.cwd, opts.src ?? defaultSrc(opts.cwd));
  const out = path.resolve(opts.cwd, opts.out ?? defaultOut(target));
  const shownOut = displayPath(out, opts.cwd);
  if (!isDir(path.join(src, 'commands')) && !isDir(path.join(src, 'agents')))
    throw new ToolError('InvalidArguments', `No definitions in ${displayPath(src, opts.cwd)}: expected a \`commands/\` or \`agents/\` folder there`, { hint: 'Pass --src with the folder that holds commands/ and agents/.' });
  checkOutFolder(out, src, opts.cwd, shownOut);
  const display = (abs: string) => displayPath(abs, opts.cwd);
  const compiled = compileDefinitions({ src, target, layout, cwd: opts.cwd });
  const base = { target, layout, mode, src: displayPath(src, opts.cwd), out: shownOut, commands: compiled.commands, agents: compiled.agents };
  if (mode === 'check') {
    const stale = checkOutput(out, compiled.files, label, display);
    const bad = new Map(stale.map((s) => [s.path, s]));
    const files = compiled.files.map((f) => ({ path: f.path, action: (bad.has(f.path) ? (bad.get(f.path)!.reason === 'missing' ? 'create' : 'update') : 'unchanged') as FileAction }));
    return { ...base, files, changed: stale.length, stale };
  }
  const lock = mode === 'write' ? lockOutFolder(out, shownOut, opts.lockTimeoutMs) : null;
  try {
    const plan = planOutput(out, label, compiled.files, display);
    if (plan.conflicts.length > 0) throw conflictError(plan, shownOut);
    if (mode === 'write') await applyOutput(plan, shownOut);
    return { ...base, files: plan.actions, changed: plan.actions.filter((a) => a.action !== 'unchanged').length };
  } finally {
    lock?.release();
  }
}
