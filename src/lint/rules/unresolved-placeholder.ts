import { z } from 'zod';
import { bodyPosition } from '../../definitions/frontmatter.ts';
import { bodyFences } from '../body.ts';
import { defineRule } from '../types.ts';

const PLACEHOLDER = /\{\{\{?[^{}\n]{0,200}\}?\}\}/g;
/**
 * What marks a template that should have been rendered: build-commands' helpers (`orchestrate`, `agent`,
 * `spawn`, partials) and Handlebars block syntax (`{{#if}}`, `{{/each}}`, `{{else}}`, `{{> partial}}`). Other
 * `{{...}}` — Prometheus `{{ $labels.x }}`, JSX `style={{...}}`, a fill-in `{{PROJECT_NAME}}` the model is
 * meant to replace — is text the author meant literally.
 */
const TEMPLATE_SYNTAX = /^\{\{\{?~?\s*(?:[#/>^]|else\b)/;
/** build-commands' own helpers: never an example in output, reported even inside code. */
const OWN_HELPERS = /^\{\{\{?~?\s*(?:orchestrate\s|agent\s+["']|[#/]spawn\b)/;

/** `{{...}}` left in a built or hand-written file: a template that was not rendered. */
export default defineRule({
  meta: {
    id: 'unresolved-placeholder',
    description: 'Output must not contain unrendered `{{...}}` placeholders',
    severity: 'error',
    docs: `Claude Code does not render templates: a \`{{orchestrate "status"}}\` or \`{{name}}\` left in a command,
agent or skill reaches the model as literal braces, and a helper line in it is never run. Applies to output
and hand-written files, not to build-commands definitions (there \`{{...}}\` is the template language).

Only template syntax is reported: build-commands' helpers (\`{{orchestrate ...}}\`, \`{{agent "x"}}\`,
\`{{#spawn}}\`, anywhere) and Handlebars blocks (\`{{#if}}\`, \`{{/each}}\`, \`{{else}}\`, \`{{> partial}}\`) outside
code spans and fenced blocks. Other braces are meant literally and are left alone: Prometheus alert templates
(\`{{ $labels.instance }}\`), JSX (\`style={{ color: 'red' }}\`), fill-in templates the model completes
(\`{{PROJECT_NAME}}\`).

Severity \`error\`: the body reaches the model exactly as written (seen on 2.1.329 and 2.1.197, test/e2e/probe.test.ts;
the oracle, test/e2e/lint-oracle.test.ts \`body-text\`, shows \`{{#if urgent}}…{{/if}}\` reaching the model as typed),
so a helper line in a template is never run.`,
    options: z.object({}),
  },
  examples: {
    valid: [
      { files: { '.claude/commands/ok.md': '---\ndescription: "Fine"\n---\nRun `node .claude/scripts/orchestrate.mjs status`.\n' } },
      {
        files: {
          '.claude/commands/alerts.md': '---\ndescription: "Alerts"\n---\nSummary: {{ $labels.job }} is down.\n\n```jsx\n<div style={{ margin: 0 }} />\n```\n\nFill in {{SERVICE_NAME}} with the service.\n',
        },
        note: 'Prometheus, JSX and fill-in placeholders are meant literally',
      },
      { files: { 'commands/src.md': '---\ndescription: "Definition"\n---\nRun `{{orchestrate "status"}}`.\n' }, note: 'definitions are templates' },
    ],
    invalid: [
      {
        files: { '.claude/commands/left.md': '---\ndescription: "Left over"\n---\nRun `{{orchestrate "status"}}` for the ticket.\n{{#if ready}}Then ship.{{/if}}\n' },
        expected: [
          '.claude/commands/left.md:4:6: error Unrendered placeholder `{{orchestrate "status"}}`, expected the rendered text (Claude Code does not render templates) [unresolved-placeholder]',
          '.claude/commands/left.md:5:1: error Unrendered placeholder `{{#if ready}}`, expected the rendered text (Claude Code does not render templates) [unresolved-placeholder]',
          '.claude/commands/left.md:5:24: error Unrendered placeholder `{{/if}}`, expected the rendered text (Claude Code does not render templates) [unresolved-placeholder]',
        ],
      },
    ],
  },
  checkFile(file, ctx) {
    const md = file.md;
    if (!md || file.origin === 'definitions' || (file.kind !== 'command' && file.kind !== 'skill' && file.kind !== 'agent')) return;
    const body = md.body;
    if (!body.includes('{{')) return;
    // Code is an example: fenced blocks and inline code spans are skipped.
    const skip: [number, number][] = bodyFences(md).map((b) => [b.offset, b.end]);
    for (const m of body.matchAll(/(?<!`)`[^`\n]+`(?!`)/g)) skip.push([m.index, m.index + m[0].length]);
    for (const m of body.matchAll(PLACEHOLDER)) {
      if (!OWN_HELPERS.test(m[0]) && (!TEMPLATE_SYNTAX.test(m[0]) || skip.some(([a, b]) => m.index >= a && m.index < b))) continue;
      ctx.report(file, { ...bodyPosition(md, m.index), message: `Unrendered placeholder \`${m[0]}\`, expected the rendered text (Claude Code does not render templates)` });
    }
  },
});
