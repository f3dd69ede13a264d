import path from 'node:path';
import { isMap, isScalar } from 'yaml';
import { z } from 'zod';
import { defineRule } from '../types.ts';

const FIELDS = ['version', 'description', 'author', 'license', 'readme', 'icon'] as const;

/** The fewest words the plugin directory accepts in a plugin's README (CLAUDE-CODE.md, Plugins: `--profile directory`). */
const README_WORDS = 40;

/** A README body of exactly 40 words, for the examples. */
const README_40 = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');

/** Words of a markdown text: runs of letters or digits (markup and punctuation do not count). */
function wordCount(text: string): number {
  return text.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu)?.length ?? 0;
}

/** `.claude-plugin/plugin.json` that does not parse or lacks what Claude Code and the plugin catalog require. */
export default defineRule({
  meta: {
    id: 'plugin-manifest',
    description: 'A plugin manifest must parse and carry the fields the catalog requires',
    severity: 'error',
    docs: `\`.claude-plugin/plugin.json\` must be valid JSON with a kebab-case \`name\`: without it the plugin does not
load. \`claude plugin validate --strict\` also fails without \`version\`, \`description\` and \`author\`, and the
plugin directory (the catalog plugins are submitted to, \`claude plugin validate --profile directory\`) refuses
a plugin without a README of at least 40 words (README.md in the plugin folder or above it), without a license
(\`license\` in plugin.json or a LICENSE file) or without an icon (\`.claude-plugin/icon.png\`)
(CLAUDE-CODE.md, Plugins). Option \`require\` lists which of ${FIELDS.map((f) => `\`${f}\``).join(', ')} to check (all but
\`icon\` by default: add it when the plugin goes to the directory).`,
    options: z.object({ require: z.array(z.enum(FIELDS)).default(FIELDS.filter((f) => f !== 'icon')) }),
  },
  examples: {
    valid: [
      {
        files: {
          'p/.claude-plugin/plugin.json': '{\n  "name": "pk",\n  "version": "1.0.0",\n  "description": "Tools",\n  "author": {"name": "A"},\n  "license": "MIT"\n}\n',
          'p/README.md': `# pk\n\n${README_40}\n`,
        },
      },
    ],
    invalid: [
      {
        files: { 'p/.claude-plugin/plugin.json': '{\n  "name": "My Plugin",\n  "version": 1\n}\n' },
        expected: [
          'p/.claude-plugin/plugin.json:1:1: error Plugin has no README.md, expected one in `p` describing the plugin (the plugin directory refuses it otherwise) [plugin-manifest]',
          'p/.claude-plugin/plugin.json:1:1: error Plugin has no license, expected `license` in plugin.json or a LICENSE file in `p` [plugin-manifest]',
          'p/.claude-plugin/plugin.json:1:1: error Plugin manifest has no `author`, expected an object such as `{"name": "..."}` [plugin-manifest]',
          'p/.claude-plugin/plugin.json:1:1: error Plugin manifest has no `description`, expected a string [plugin-manifest]',
          'p/.claude-plugin/plugin.json:2:11: error Plugin name `My Plugin` is not kebab-case, expected e.g. `my-plugin` [plugin-manifest]',
          'p/.claude-plugin/plugin.json:3:14: error Plugin manifest `version` is the number `1`, expected a semver string such as `"1.0.0"` [plugin-manifest]',
        ],
      },
      {
        files: {
          'p/.claude-plugin/plugin.json': '{\n  "name": "pk",\n  "version": "1.0.0",\n  "description": "Tools",\n  "author": {"name": "A"},\n  "license": "MIT"\n}\n',
          'p/README.md': '# pk\n\nTools for the team.\n',
        },
        options: { require: ['readme', 'icon'] },
        expected: [
          'p/.claude-plugin/plugin.json:1:1: error Plugin README `p/README.md` has 5 words, expected at least 40 (the plugin directory refuses a shorter one) [plugin-manifest]',
          'p/.claude-plugin/plugin.json:1:1: error Plugin has no icon, expected `p/.claude-plugin/icon.png` (the plugin directory asks for one) [plugin-manifest]',
        ],
      },
      {
        files: { '.claude-plugin/plugin.json': '{"name": "pk",}\n' },
        options: { require: [] },
        expected: ['.claude-plugin/plugin.json:1:15: error Plugin manifest is not valid JSON: Expected double-quoted property name [plugin-manifest]'],
      },
    ],
  },
  checkFile(file, ctx) {
    const json = file.json;
    if (file.kind !== 'plugin-manifest' || !json) return;
    if (json.error) {
      ctx.report(file, { line: json.error.line, col: json.error.col, message: `Plugin manifest is not valid JSON: ${json.error.message}` });
      return;
    }
    const top = { line: 1, col: 1 };
    const v = json.value;
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      ctx.report(file, { ...top, message: 'Plugin manifest is not a JSON object, expected `{"name": ...}`' });
      return;
    }
    const m = v as Record<string, unknown>;
    const at = (key: string) => {
      const contents = json.doc.contents;
      const pair = isMap(contents) ? contents.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined;
      const node = (pair?.value ?? pair?.key) as { range?: [number, number, number] } | undefined;
      return node?.range ? json.lineCounter.linePos(node.range[0]) : top;
    };
    if (typeof m.name !== 'string' || m.name === '') ctx.report(file, { ...at('name'), message: 'Plugin manifest has no `name`, expected a kebab-case string (Claude Code does not load the plugin without it)' });
    else if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(m.name))
      ctx.report(file, { ...at('name'), message: `Plugin name \`${m.name}\` is not kebab-case, expected e.g. \`${m.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}\`` });
    const req = new Set(ctx.options.require);
    const root = file.plugin?.root ?? '.';
    if (req.has('version')) {
      if (m.version === undefined) ctx.report(file, { ...top, message: 'Plugin manifest has no `version`, expected a semver string such as `"1.0.0"`' });
      else if (typeof m.version !== 'string' || !/^\d+\.\d+\.\d+([-+].*)?$/.test(m.version))
        ctx.report(file, { ...at('version'), message: `Plugin manifest \`version\` is ${typeof m.version === 'string' ? `\`${m.version}\`` : `the ${typeof m.version} \`${JSON.stringify(m.version)}\``}, expected a semver string such as \`"1.0.0"\`` });
    }
    if (req.has('description') && (typeof m.description !== 'string' || m.description.trim() === ''))
      ctx.report(file, { ...(m.description === undefined ? top : at('description')), message: 'Plugin manifest has no `description`, expected a string' });
    if (req.has('author') && (m.author === undefined || m.author === null))
      ctx.report(file, { ...top, message: 'Plugin manifest has no `author`, expected an object such as `{"name": "..."}`' });
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

