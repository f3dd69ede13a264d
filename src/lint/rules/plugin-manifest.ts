import { isMap, isScalar, isSeq } from 'yaml';
import { z } from 'zod';
import { defineRule } from '../types.ts';

/** `.claude-plugin/plugin.json` that does not parse or lacks what Claude Code and the plugin catalog require. */
export default defineRule({
  meta: {
    id: 'plugin-manifest',
    description: 'A plugin manifest must be JSON Claude Code installs: an object with a kebab-case `name`, agent paths ending in `.md`',
    severity: 'error',
    docs: `\`.claude-plugin/plugin.json\` must be valid JSON with a kebab-case \`name\`: without it the plugin does not
load. Each entry of \`agents\` must be a markdown file (\`"./agents/coord.md"\`), not a folder: \`claude plugin
install\` refuses the whole plugin otherwise (2.1.329: \`agents.0: Invalid string: must end with ".md"\`; 2.1.197:
\`agents: Invalid input\`; oracle: test/e2e/lint-oracle.test.ts, which installs the plugin from a local marketplace). The \`agents/\` folder at the
plugin root is scanned anyway: list files only when they sit elsewhere.

Severity \`error\`: the client refuses to install the plugin. The catalog's fields (\`version\`, \`description\`,
\`author\`, README, licence, icon) are \`plugin-catalog\`'s.`,
    options: z.object({}),
  },
  examples: {
    valid: [{ files: { 'p/.claude-plugin/plugin.json': '{\n  "name": "pk",\n  "agents": ["./extra/coord.md"]\n}\n' } }],
    invalid: [
      {
        files: { 'p/.claude-plugin/plugin.json': '{\n  "name": "My Plugin",\n  "agents": ["./agents"]\n}\n' },
        expected: [
          'p/.claude-plugin/plugin.json:2:11: error Plugin name `My Plugin` is not kebab-case, expected e.g. `my-plugin` [plugin-manifest]',
          'p/.claude-plugin/plugin.json:3:14: error Plugin manifest `agents` entry `./agents` is not a `.md` file, expected paths such as `./agents/coord.md` (Claude Code refuses to install the plugin) [plugin-manifest]',
        ],
      },
      {
        files: { '.claude-plugin/plugin.json': '{"name": "pk",}\n' },
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
    const agents = m.agents;
    const list = typeof agents === 'string' ? [agents] : Array.isArray(agents) ? agents : [];
    const contents = json.doc.contents;
    const agentsNode = isMap(contents) ? contents.items.find((p) => isScalar(p.key) && p.key.value === 'agents')?.value : undefined;
    list.forEach((entry, i) => {
      if (typeof entry === 'string' && entry.endsWith('.md')) return;
      const node = (isSeq(agentsNode) ? agentsNode.items[i] : agentsNode) as { range?: [number, number, number] } | undefined;
      const pos = node?.range ? json.lineCounter.linePos(node.range[0]) : at('agents');
      ctx.report(file, { ...pos, message: `Plugin manifest \`agents\` entry \`${String(entry)}\` is not a \`.md\` file, expected paths such as \`./agents/coord.md\` (Claude Code refuses to install the plugin)` });
    });
  },
});
