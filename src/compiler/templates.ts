import { existsSync, lstatSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { ToolError } from '../diagnostics/errors.ts';
import { readWithin } from '../util/safe-path.ts';
import { decodeUtf8Text } from '../util/utf8-text.ts';
import { packageRoot } from './package-root.ts';

/** One template file: its source text and the path shown in diagnostics. */
export interface TemplateFile {
  file: string;
  source: string;
}

/**
 * The templates a build uses (docs/contracts.md §4): the file wrappers `command.md.hbs` and `agent.md.hbs`
 * and the partials `partials/*.hbs` (by name without `.hbs`). Each comes from `<src>/templates/` when that
 * file exists there, else from the package's built-in `templates/`.
 */
export interface TemplateSet {
  command: TemplateFile;
  agent: TemplateFile;
  partials: Record<string, TemplateFile>;
}

/** Largest template file read, in bytes (1 MiB). */
export const MAX_TEMPLATE_BYTES = 1024 * 1024;

/**
 * Reads the template set for definitions folder `src` — null: the package's own only — (see {@link TemplateSet}); `display` maps a path for
 * diagnostics. A template is read through a link only when the link stays inside its folder's root (`src`,
 * or the package): a `templates/partials/x.hbs -> ~/.ssh/id_rsa` is never inlined into the output.
 * @throws ToolError `UnsafePath` for a link out of the root, `FileTooLarge` above {@link MAX_TEMPLATE_BYTES},
 * `InvalidDefinitions` (a `template-read` diagnostic) for a template that is not UTF-8 text or holds NUL bytes.
 */
export function loadTemplates(src: string | null, display: (abs: string) => string = (p) => p): TemplateSet {
  const roots = src === null ? [packageRoot()] : [packageRoot(), src];
  const dirs = roots.map((r) => path.join(r, 'templates'));
  const readIn = (i: number, abs: string): TemplateFile => {
    const file = display(abs);
    const decoded = decodeUtf8Text(readWithin(roots[i]!, abs, { display, maxBytes: MAX_TEMPLATE_BYTES }));
    if ('problem' in decoded)
      throw new ToolError('InvalidDefinitions', `Template \`${file}\` could not be read`, { diagnostics: [{ file, line: 1, col: 1, severity: 'error', code: 'template-read', message: decoded.problem }] });
    return { file, source: decoded.text };
  };
  const present = (p: string) => {
    try {
      lstatSync(p);
      return true;
    } catch {
      return false;
    }
  };
  const read = (rel: string): TemplateFile => {
    const own = dirs[1] === undefined ? null : path.join(dirs[1], rel);
    return own !== null && present(own) ? readIn(1, own) : readIn(0, path.join(dirs[0]!, rel));
  };
  const partials: Record<string, TemplateFile> = {};
  dirs.forEach((dir, i) => {
    if (!existsSync(dir)) return;
    // Links are listed without being followed (a folder link is not descended); readIn checks where they lead.
    for (const rel of fg.sync('partials/*.hbs', { cwd: dir, onlyFiles: false, followSymbolicLinks: false }).sort()) {
      partials[path.posix.basename(rel, '.hbs')] = readIn(i, path.join(dir, rel));
    }
  });
  return { command: read('command.md.hbs'), agent: read('agent.md.hbs'), partials };
}
