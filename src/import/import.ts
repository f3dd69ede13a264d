import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { isToolError, ToolError } from '../diagnostics/errors.ts';
import { discoverFiles } from '../lint/runner.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { notAFolderReason } from '../util/folder-path.ts';
import { convertFile, type Converted } from './convert.ts';

/** Options of {@link importDefinitions}: `path` to read (a project, a `.claude` folder or a plugin), `to` the definitions folder. */
export interface ImportOptions {
  path: string;
  to: string;
  cwd: string;
  /** Overwrite existing definition files (default: refuse, nothing written). */
  force?: boolean;
  /** Convert and report, write nothing. */
  dryRun?: boolean;
}

/** What an import did: the files converted (with their target path), every fix as a diagnostic. */
export interface ImportReport {
  converted: Converted[];
  diagnostics: Diagnostic[];
}

/**
 * Imports hand-written Claude Code commands and agents (`.claude/commands`, `.claude/agents`, or a plugin's
 * `commands/`, `agents/`) below `path` as build-commands definitions under `to` (`commands/<ns>/<name>.md`,
 * `agents/<name>.md`). Existing definitions are skipped. Every fix is reported (see `convertFile`).
 * Throws ToolError `LintPathNotFound` for a missing path, `InvalidArguments` when nothing importable is found,
 * `OutputConflict` when a target file exists and `force` is not set, `InvalidArguments` when `to` or a folder a
 * file goes into is a file (nothing is written then). Each file is written whole or not at all.
 */
export async function importDefinitions(opts: ImportOptions): Promise<ImportReport> {
  const files = (await discoverImportable(opts.path, opts.cwd)).filter((f) => f.origin !== 'definitions' && f.kind !== 'plugin-manifest');
  const diagnostics: Diagnostic[] = [];
  const converted: Converted[] = [];
  const targets = new Map<string, string>();
  for (const f of files) {
    if (f.kind === 'unscanned') {
      diagnostics.push({ file: f.path, line: 0, col: 0, severity: 'warning', code: 'import-skipped', message: `\`${f.path}\` was not imported: it sits outside the folders Claude Code scans, so Claude Code never loaded it` });
      continue;
    }
    const c = convertFile(f);
    if ('skipped' in c) {
      diagnostics.push(c.skipped);
      continue;
    }
    const clash = targets.get(c.rel);
    if (clash) {
      diagnostics.push({ file: f.path, line: 0, col: 0, severity: 'error', code: 'import-duplicate', message: `\`${f.path}\` was not imported: \`${clash}\` already maps to \`${c.rel}\`, expected one definition per name` });
      continue;
    }
    targets.set(c.rel, f.path);
    converted.push(c);
    diagnostics.push(...c.diagnostics);
  }
  if (converted.length === 0) throw new ToolError('InvalidArguments', `No commands or agents found in \`${opts.path}\`, expected a .claude folder, a project with one, or a plugin`, { diagnostics });
  const outDir = path.resolve(opts.cwd, opts.to);
  checkTargetFolders(outDir, opts.to, converted.map((c) => c.rel));
  const existing = converted.filter((c) => existsSync(path.join(outDir, c.rel)));
  if (existing.length > 0 && !opts.force)
    throw new ToolError('OutputConflict', `${existing.length} definition file(s) already exist: ${existing.map((c) => `\`${path.posix.join(opts.to, c.rel)}\``).join(', ')}`, {
      hint: 'Pass --force to overwrite them, or choose another --to folder. Nothing was written.',
    });
  if (!opts.dryRun)
    for (const c of converted) {
      const target = path.join(outDir, c.rel);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileAtomic(target, c.text);
    }
  return { converted, diagnostics: sortDiagnostics(diagnostics) };
}

/** The linter's files below `p`; a missing path is the linter's `LintPathNotFound` with a hint about the import. */
async function discoverImportable(p: string, cwd: string) {
  try {
    return await discoverFiles([p], cwd);
  } catch (e) {
    if (isToolError(e) && e.code === 'LintPathNotFound') throw new ToolError('LintPathNotFound', e.message, { hint: 'Pass an existing project, .claude folder or plugin. Nothing was imported.' });
    throw e;
  }
}

/**
 * Checks, before anything is written, that `outDir` (`to` as given) and the folder of every target (`rels`,
 * relative to it) can be folders. @throws ToolError `InvalidArguments` naming the first path that is a file
 * or lies below one.
 */
function checkTargetFolders(outDir: string, to: string, rels: readonly string[]): void {
  const fail = (shown: string, why: string) =>
    new ToolError('InvalidArguments', `Cannot import into \`${to}\`: \`${shown}\` ${why}, expected a folder`, { hint: 'Pass --to with a folder, or move the file out of the way. Nothing was written.' });
  const top = notAFolderReason(outDir);
  if (top) throw fail(to, top);
  for (const dir of [...new Set(rels.map((r) => path.posix.dirname(r)))].sort()) {
    const why = notAFolderReason(path.join(outDir, dir));
    if (why) throw fail(path.posix.join(to.split(path.sep).join('/'), dir), why);
  }
}
