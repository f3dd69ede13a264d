import path from 'node:path';
import { isMap, isScalar } from 'yaml';
import { z } from 'zod';
import { defineRule } from '../types.ts';

const FIELDS = ['version', 'description', 'author', 'license', 'readme', 'icon'] as const;
/** What `--profile directory` checks (the plugin directory's submission rules). */
export const DIRECTORY_FIELDS: readonly (typeof FIELDS)[number][] = FIELDS;
/** The fewest words the plugin directory accepts in a plugin's README (CLAUDE-CODE.md, Plugins: `--profile directory`). */
const README_WORDS = 40;
/** A README body of exactly 40 words, for the examples. */
const README_40 = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');

/** Words of a markdown text: runs of letters or digits (markup and punctuation do not count). */
function wordCount(text: string): number {
  return text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)?.length ?? 0;
}

/** What the plugin catalog asks of a plugin: manifest fields, README, licence, icon. */
export default defineRule({
  meta: {
    id: 'plugin-catalog',
    description: 'A plugin should carry what the plugin catalog asks for (version, description, author; README, licence, icon)',
    severity: 'info',
    docs: `Claude Code installs and runs a plugin without \`version\`, \`description\` or \`author\` (its only hard
requirements are \`plugin-manifest\`'s). \`claude plugin validate --strict\` warns about the three, and the plugin
directory (the catalog plugins are submitted to, \`claude plugin validate --profile directory\`) also refuses a
plugin without a README of at least 40 words (README.md in the plugin folder or above it), without a licence
(\`license\` in plugin.json or a LICENSE file) or without an icon (\`.claude-plugin/icon.png\`) (CLAUDE-CODE.md,
Plugins).

Severity \`info\` by default, checking \`version\`, \`description\` and \`author\`: catalog policy, not a defect.
\`build-commands lint --profile directory\` turns it into an \`error\` checking every field, as the directory
does. Option \`require\` lists which of ${FIELDS.map((f) => `\`${f}\``).join(', ')} to check.`,
    options: z.object({ require: z.array(z.enum(FIELDS)).default(['version', 'description', 'author']) }),
  },
  examples: {
    valid: [
      {
        files: {
          'p/.claude-plugin/plugin.json': '{\n  "name": "pk",\n  "version": "1.0.0",\n  "description": "Tools",\n  "author": {"name": "A"},\n  "license": "MIT"\n}\n',
          'p/README.md': `# pk\n\n${README_40}\n`,
        },
        options: { require: ['version', 'description', 'author', 'license', 'readme'] },
      },
    ],
    invalid: [
      {
        files: { 'p/.claude-plugin/plugin.json': '{\n  "name": "pk",\n  "version": 1\n}\n' },
        expected: [
          'p/.claude-plugin/plugin.json:1:1: info Plugin manifest has no `author`, expected an object such as `{"name": "..."}` (the catalog asks for it) [plugin-catalog]',
          'p/.claude-plugin/plugin.json:1:1: info Plugin manifest has no `description`, expected a string (the catalog asks for it) [plugin-catalog]',
          'p/.claude-plugin/plugin.json:3:14: info Plugin manifest `version` is the number `1`, expected a semver string such as `"1.0.0"` [plugin-catalog]',
        ],
      },
      {
        files: {
          'p/.claude-plugin/plugin.json': '{\n  "name": "pk",\n  "version": "1.0.0",\n  "description": "Tools",\n  "author": {"name": "A"}\n}\n',
          'p/README.md': '# pk\n\nTools for the team.\n',
        },
        options: { require: ['readme', 'icon', 'license'] },
        expected: [
          'p/.claude-plugin/plugin.json:1:1: info Plugin README `p/README.md` has 5 words, expected at least 40 (the plugin directory refuses a shorter one) [plugin-catalog]',
          'p/.claude-plugin/plugin.json:1:1: info Plugin has no icon, expected `p/.claude-plugin/icon.png` (the plugin directory asks for one) [plugin-catalog]',
          'p/.claude-plugin/plugin.json:1:1: info Plugin has no license, expected `license` in plugin.json or a LICENSE file in `p` [plugin-catalog]',
        ],
      },
    ],
  },
  checkFile(file, ctx) {
    const json = file.json;
    if (file.kind !== 'plugin-manifest' || !json || json.error || !json.value || typeof json.value !== 'object' || Array.isArray(json.value)) return;
    const m = json.value as Record<string, unknown>;
    const top = { line: 1, col: 1 };
    const at = (key: string) => {
      const contents = json.doc.contents;
      const pair = isMap(contents) ? contents.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
      const node = (pair?.value ?? pair?.key) as { range?: [number, number, number] } | undefined;
      return node?.range ? json.lineCounter.linePos(node.range[0]) : top;
    };
    const req = new Set(ctx.options.require);
    const root = file.plugin?.root ?? '.';
    if (req.has('version')) {
      if (m.version === undefined) ctx.report(file, { ...top, message: 'Plugin manifest has no `version`, expected a semver string such as `"1.0.0"` (the catalog asks for it)' });
      else if (typeof m.version !== 'string' || !/^\d+\.\d+\.\d+([-+].*)?$/.test(m.version))
        ctx.report(file, { ...at('version'), message: `Plugin manifest \`version\` is ${typeof m.version === 'string' ? `\`${m.version}\`` : `the ${typeof m.version} \`${JSON.stringify(m.version)}\``}, expected a semver string such as \`"1.0.0"\`` });
    }
    if (req.has('description') && (typeof m.description !== 'string' || m.description.trim() === ''))
      ctx.report(file, { ...(m.description === undefined ? top : at('description')), message: 'Plugin manifest has no `description`, expected a string (the catalog asks for it)' });
    if (req.has('author') && (m.author === undefined || m.author === null))
      ctx.report(file, { ...top, message: 'Plugin manifest has no `author`, expected an object such as `{"name": "..."}` (the catalog asks for it)' });
    const up = ancestors(root);
    if (req.has('license') && typeof m.license !== 'string' && !up.some((d) => ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'LICENCE'].some((n) => ctx.project.exists(join(d, n)))))
      ctx.report(file, { ...top, message: `Plugin has no license, expected \`license\` in plugin.json or a LICENSE file in \`${root}\`` });
    if (req.has('readme')) {
      const readme = up.map((d) => join(d, 'README.md')).find((f) => ctx.project.exists(f));
      if (readme === undefined) ctx.report(file, { ...top, message: `Plugin has no README.md, expected one in \`${root}\` describing the plugin (the plugin directory refuses it otherwise)` });
      else {
        const words = wordCount(ctx.project.read(readme) ?? '');
        if (words < README_WORDS) ctx.report(file, { ...top, message: `Plugin README \`${readme}\` has ${words} word${words === 1 ? '' : 's'}, expected at least ${README_WORDS} (the plugin directory refuses a shorter one)` });
      }
    }
    if (req.has('icon') && !ctx.project.exists(join(root, '.claude-plugin/icon.png')))
      ctx.report(file, { ...top, message: `Plugin has no icon, expected \`${join(root, '.claude-plugin/icon.png')}\` (the plugin directory asks for one)` });
  },
});

function join(dir: string, name: string): string {
  return dir === '.' || dir === '' ? name : `${dir}/${name}`;
}

/** The folder and every folder above it, up to the lint root (a README or LICENSE at the repository root counts). */
function ancestors(dir: string): string[] {
  const out = [dir];
  let cur = dir;
  while (cur !== '.' && cur !== '' && cur !== '/') {
    cur = path.posix.dirname(cur);
    out.push(cur);
  }
  return out;
}
