import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
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

/** Reads the template set for definitions folder `src` (see {@link TemplateSet}); `display` maps a path for diagnostics. */
export function loadTemplates(src: string, display: (abs: string) => string = (p) => p): TemplateSet {
  const dirs = [path.join(packageRoot(), 'templates'), path.join(src, 'templates')];
  const read = (rel: string): TemplateFile => {
    const own = path.join(dirs[1]!, rel);
    const abs = existsSync(own) ? own : path.join(dirs[0]!, rel);
    return { file: display(abs), source: readFileSync(abs, 'utf8') };
  };
  const partials: Record<string, TemplateFile> = {};
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const rel of fg.sync('partials/*.hbs', { cwd: dir, onlyFiles: true }).sort()) {
      const abs = path.join(dir, rel);
      partials[path.posix.basename(rel, '.hbs')] = { file: display(abs), source: readFileSync(abs, 'utf8') };
    }
  }
  return { command: read('command.md.hbs'), agent: read('agent.md.hbs'), partials };
}
