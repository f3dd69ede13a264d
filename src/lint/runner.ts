import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.ts';
import { ToolError } from '../diagnostics/errors.ts';
import type { ActiveRule } from './config.ts';
import { suppressorFor, type Suppressor } from './disable.ts';
import { classifySources, existsIn, makeProject, withMdast, type SourceFile } from './project.ts';
import { readSource } from './read.ts';
import type { LintFile, LintProject, Report, RuleContext } from './types.ts';

/** The outcome of a lint run: sorted diagnostics and the number of files checked. */
export interface LintResult {
  diagnostics: Diagnostic[];
  files: number;
}

/**
 * Runs the active rules over a project: every `checkFile` on every file, then every `checkProject`. Applies
 * each rule's configured severity and the inline disable comments. Returns diagnostics in a stable order.
 * A rule that throws is a bug: it becomes one `internal-error` diagnostic instead of ending the run.
 */
export function runRules(project: LintProject, rules: readonly ActiveRule[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const suppressors = new Map<string, Suppressor>();
  const suppressed = (f: LintFile, rule: string, line: number) => {
    let s = suppressors.get(f.path);
    if (!s) suppressors.set(f.path, (s = suppressorFor(f.md?.text ?? f.json?.text ?? '')));
    return s(rule, Math.max(1, line));
  };
  for (const { rule, severity, options } of rules) {
    const id = rule.meta.id;
    const ctx: RuleContext<unknown> = {
      options,
      project,
      report(file: LintFile, r: Report) {
        if (suppressed(file, id, r.line)) return;
        out.push({ file: file.path, line: r.line, col: r.col, ...(r.endLine ? { endLine: r.endLine, endCol: r.endCol } : {}), severity, code: id, message: r.message, ...(r.hint ? { hint: r.hint } : {}) });
      },
    };
    try {
      if (rule.checkFile) for (const f of project.files) rule.checkFile(f, ctx as never);
      rule.checkProject?.(project, ctx as never);
    } catch (e) {
      out.push({ file: '.', line: 0, col: 0, severity: 'error', code: 'internal-error', message: `Rule \`${id}\` failed: ${(e as Error).message}` });
    }
  }
  return sortDiagnostics(out);
}

/** Lints in-memory files (display path → content) as one root; used by the rule examples and tests. */
export function lintMemory(files: Record<string, string>, rules: readonly ActiveRule[]): LintResult {
  const sources: SourceFile[] = Object.entries(files).map(([rel, text]) => (text.includes('\u0000') ? { rel, text: '', problem: 'File is binary (it holds NUL bytes), expected UTF-8 text' } : { rel, text }));
  const classified = classifySources('', sources).map(withMdast);
  const project = makeProject(classified, existsIn(Object.keys(files)), (p) => files[p] ?? null);
  return { diagnostics: runRules(project, rules), files: classified.length };
}

const GLOBS = ['**/*.md', '**/.claude-plugin/plugin.json', '**/hooks/hooks.json'];
const CANDIDATE = /(^|\/)\.claude\/(commands|agents|skills)\/|^(commands|agents|skills)\//;
const IGNORE = ['**/node_modules/**', '**/.git/**'];

function posix(p: string): string {
  return p.split(path.sep).join('/');
}

/**
 * Finds and parses the files Claude Code would load below each path in `paths` (relative to `cwd`): a folder is
 * searched (see `classifySources`; a `commands/`, `agents/` or `skills/` folder counts as part of its parent); a
 * markdown file is taken as what its path says, or as a command when its path says nothing. `ignores` are
 * globs relative to `cwd`. Each file appears once. Throws ToolError `LintPathNotFound` (exit 2) for a path that
 * does not exist.
 */
export async function discoverFiles(paths: readonly string[], cwd: string, ignores: readonly string[] = []): Promise<LintFile[]> {
  const files: LintFile[] = [];
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    if (!existsSync(abs)) throw new ToolError('LintPathNotFound', `Path \`${p}\` does not exist`);
    const display = posix(path.relative(cwd, abs)) || '.';
    if (!statSync(abs).isDirectory()) { // a file, or something readSource refuses (a named pipe)
      const read = readSource(abs, path.dirname(abs));
      const src = 'text' in read ? { text: read.text } : { text: '', problem: read.problem };
      const rel = posix(display);
      let got = classifySources('', [{ rel, ...src }]);
      if (got.length === 0 && /\.md$/i.test(rel))
        got = classifySources('', [{ rel: `.claude/commands/${path.posix.basename(rel)}`, ...src }]).map((f) => ({ ...f, path: rel, scope: path.posix.dirname(rel) }));
      files.push(...got.map(withMdast));
      continue;
    }
    // A `commands/`, `agents/` or `skills/` folder is linted as part of its parent, so its files keep their kind.
    const base = path.basename(abs);
    const inParent = ['commands', 'agents', 'skills'].includes(base);
    const rootAbs = inParent ? path.dirname(abs) : abs;
    const rootDisplay = inParent ? posix(path.relative(cwd, rootAbs)) || '.' : display;
    // The synchronous walk: the same entries, with less CPU than the asynchronous one (its per-folder callbacks
    // and queue cost a third more on the real-world bench's 1,200 folders), and nothing else runs meanwhile.
    const found = fg.sync(inParent ? GLOBS.map((g) => `${base}/${g}`) : GLOBS, {
      cwd: rootAbs,
      dot: true,
      ignore: [...IGNORE, ...ignores.map((g) => posix(path.relative(rootDisplay, g)))],
      onlyFiles: false,
      markDirectories: true,
      // Symlinked folders are not walked (no loops, nothing outside the root); symlinked files are listed and
      // read only when their target is inside the root (readSource).
      followSymbolicLinks: false,
    });
    for (let i = found.length - 1; i >= 0; i--) if (found[i]!.endsWith('/')) found.splice(i, 1); // folders
    const pluginDirs = found.filter((f) => f.endsWith('.claude-plugin/plugin.json')).map((f) => f.slice(0, -'.claude-plugin/plugin.json'.length));
    const wanted = found.filter((f) => (!f.endsWith('.md') && !f.endsWith('hooks.json')) || CANDIDATE.test(f) || pluginDirs.some((d) => f.startsWith(d))).sort();
    const sources = wanted.map((rel): SourceFile => {
      const read = readSource(path.join(rootAbs, rel), rootAbs);
      return 'text' in read ? { rel, text: read.text } : { rel, text: '', problem: read.problem };
    });
    files.push(...classifySources(rootDisplay === '.' ? '' : rootDisplay, sources).map(withMdast));
  }
  return [...new Map(files.map((f) => [f.path, f])).values()];
}

/**
 * Lints files and folders on disk ({@link discoverFiles}) with the active rules; relative links are checked
 * against the file system. Throws ToolError `LintPathNotFound` (exit 2) for a path that does not exist.
 */
export async function lintPaths(paths: readonly string[], cwd: string, rules: readonly ActiveRule[], ignores: readonly string[] = []): Promise<LintResult> {
  const files = await discoverFiles(paths, cwd, ignores);
  const project = makeProject(files, (p) => existsSync(path.resolve(cwd, p)), (p) => {
    try {
      return readFileSync(path.resolve(cwd, p), 'utf8');
    } catch {
      return null;
    }
  });
  return { diagnostics: runRules(project, rules), files: files.length };
}
