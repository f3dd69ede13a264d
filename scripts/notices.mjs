// Licence notices of the npm packages a bundle inlines (scripts/bundle.mjs). The MIT, ISC and BSD licences of
// the bundled libraries (yaml, zod, pg, handlebars, remark, ...) require their copyright and permission notice in
// every copy; a bundle is a copy, and dist/orchestrate.mjs is copied again into every built pack. esbuild's
// legal-comment handling keeps only `@license` / `/*!` comments, which most of these packages do not carry, so
// the notices are read from each package's own folder instead: its package.json (name, version, licence) and
// its LICENSE file.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The package folders (absolute) that the esbuild inputs `inputs` (paths relative to `root`, as in a metafile)
 * come from: the innermost `node_modules/<name>` or `node_modules/@scope/<name>` of each path under node_modules.
 * @param {string} root the esbuild working folder
 * @param {Iterable<string>} inputs metafile input paths
 * @returns {Set<string>}
 */
export function packageDirs(root, inputs) {
  const dirs = new Set();
  for (const input of inputs) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.split(path.sep).join('/'));
    if (m) dirs.add(path.resolve(root, m[1]));
  }
  return dirs;
}

/**
 * The licence section of the package's README (a heading `License`/`Licence` up to the next heading of its level
 * or above), for packages that ship no LICENSE file but state their notice there (pg-types, pgpass).
 * @param {string} dir package folder
 * @returns {string | undefined}
 */
function readmeLicence(dir) {
  const readme = readdirSync(dir).find((f) => /^readme(\.md)?$/i.test(f));
  if (!readme) return undefined;
  const lines = readFileSync(path.join(dir, readme), 'utf8').split('\n');
  const start = lines.findIndex((l) => /^#+\s*licen[cs]e\b/i.test(l));
  if (start === -1) return undefined;
  const level = /^#+/.exec(lines[start])[0].length;
  const end = lines.findIndex((l, i) => i > start && /^#+\s/.test(l) && /^#+/.exec(l)[0].length <= level);
  const text = lines.slice(start + 1, end === -1 ? lines.length : end).join('\n').trim();
  return text === '' ? undefined : text;
}

/**
 * One block comment naming every package in `dirs` (sorted by name, then version) with its licence and the
 * text of its licence file (or its README's licence section; packages with the same text share one copy), for
 * the end of a bundle. Deterministic for the same installed packages.
 * @param {Iterable<string>} dirs package folders
 * @returns {string} the comment with a leading line break, or '' when `dirs` is empty
 * @throws Error when a package has no licence file and its package.json names no licence (a bundle must not
 *   ship code whose terms it cannot state)
 */
export function noticesComment(dirs) {
  const packages = [...dirs].map((dir) => {
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f));
    const licence = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? '');
    if (!file && !licence) throw new Error(`${dir}: no LICENSE file and no "license" in package.json`);
    const text = file ? readFileSync(path.join(dir, file), 'utf8').trim() : (readmeLicence(dir) ?? `Licensed under ${licence}.`);
    return { name: pkg.name, version: pkg.version, licence, text };
  });
  if (packages.length === 0) return '';
  packages.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  const unique = packages.filter((p, i) => i === 0 || p.name !== packages[i - 1].name || p.version !== packages[i - 1].version);
  // Packages whose notice is the same text (pg's parts share one) are listed together above it, once.
  const byText = new Map();
  for (const p of unique) byText.set(p.text, [...(byText.get(p.text) ?? []), p]);
  const body = [...byText]
    .map(([text, ps]) => `${ps.map((p) => `${p.name} ${p.version} (${p.licence || 'see below'})`).join('\n')}\n\n${text}`)
    .join('\n\n----\n\n');
  return `\n/*\nThird-party software inlined in this file, with its licence notices:\n${unique.map((p) => `  ${p.name} ${p.version}`).join('\n')}\n\n${body.split('*/').join('* /')}\n*/\n`;
}
