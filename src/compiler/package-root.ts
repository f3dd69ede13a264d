import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The root folder of the installed `build-commands` package (the folder whose package.json has
 * `"name": "build-commands"`), found by walking up from this module — so it works from `src/` (tsx, vitest)
 * and from the bundle in `dist/`. Holds the built-in `templates/`, `commands/`, `agents/` and
 * `dist/orchestrate.mjs`. Throws a plain Error if not found (a broken install: a bug, exit 2).
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'build-commands') return (cached = dir);
      } catch {
        // not ours; keep walking up
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the build-commands package root (package.json) above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** The package's package.json fields the plugin target uses. */
export interface PackageInfo {
  name: string;
  version: string;
  description: string;
  author: string;
  license: string;
}

/** Reads `name`, `version`, `description`, `author` (string or `{name}`) and `license` from the package's package.json. */
export function packageInfo(): PackageInfo {
  const pj = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as Record<string, unknown>;
  const author = pj.author;
  return {
    name: String(pj.name),
    version: String(pj.version ?? '0.0.0'),
    description: String(pj.description ?? ''),
    author: typeof author === 'string' ? author : author && typeof author === 'object' ? String((author as { name?: unknown }).name ?? '') : '',
    license: String(pj.license ?? 'UNLICENSED'),
  };
}
