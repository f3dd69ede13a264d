import { z } from 'zod';
import { bodyPosition } from '../../definitions/frontmatter.ts';
import { fencedBlocks } from '../body.ts';
import { defineRule } from '../types.ts';

const PLACEHOLDER = /\{\{\{?[^{}\n]{0,200}\}?\}\}/g;
const TEMPLATE_LANGS = new Set(['handlebars', 'hbs', 'mustache', 'jinja', 'jinja2', 'liquid', 'njk', 'nunjucks', 'twig', 'go-template', 'gotemplate', 'helm', 'vue', 'svelte', 'html']);

/** `{{...}}` left in a built or hand-written file: a template that was not rendered. */
export default defineRule({
  meta: {
    id: 'unresolved-placeholder',
    description: 'Output must not contain unrendered `{{...}}` placeholders',
    severity: 'error',
    docs: `Claude Code does not render templates: a \`{{orchestrate "status"}}\` or \`{{name}}\` left in a command,
agent or skill reaches the model as literal braces, and a helper line in it is never run. Applies to output
and hand-written files, not to build-commands definitions (there \`{{...}}\` is the template language). Fenced
blocks tagged with a template language (\`handlebars\`, \`jinja\`, \`html\`, ...) are skipped as examples.`,
    options: z.object({}),
  },
  examples: {
    valid: [
      { files: { '.claude/commands/ok.md': '---\ndescription: "Fine"\n---\nRun `node .claude/scripts/orchestrate.mjs status`.\n' } },
      { files: { 'commands/src.md': '---\ndescription: "Definition"\n---\nRun `{{orchestrate "status"}}`.\n' }, note: 'definitions are templates' },
    ],
    invalid: [
      {
        files: { '.claude/commands/left.md': '---\ndescription: "Left over"\n---\nRun `{{orchestrate "status"}}` for {{ticket.id}}.\n' },
        expected: [
          '.claude/commands/left.md:4:6: error Unrendered placeholder `{{orchestrate "status"}}`, expected the rendered text (Claude Code does not render templates) [unresolved-placeholder]',
          '.claude/commands/left.md:4:36: error Unrendered placeholder `{{ticket.id}}`, expected the rendered text (Claude Code does not render templates) [unresolved-placeholder]',
        ],
      },
    ],
  },
  checkFile(file, ctx) {
    const md = file.md;
    if (!md || file.origin === 'definitions' || (file.kind !== 'command' && file.kind !== 'skill' && file.kind !== 'agent')) return;
    const body = md.body;
    if (!body.includes('{{')) return;
    const skip: [number, number][] = [];
    for (const block of fencedBlocks(body))
      if (TEMPLATE_LANGS.has(block.lang)) skip.push([block.offset, block.end]);
    for (const m of body.matchAll(PLACEHOLDER)) {
      if (skip.some(([a, b]) => m.index >= a && m.index < b)) continue;
      ctx.report(file, { ...bodyPosition(md, m.index), message: `Unrendered placeholder \`${m[0]}\`, expected the rendered text (Claude Code does not render templates)` });
    }
  },
});
