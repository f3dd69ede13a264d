import { z } from 'zod';
import { BodyRenderer } from '../../compiler/render.ts';
import type { FormedShell } from '../../compiler/neutralise.ts';
import { loadTemplates } from '../../compiler/templates.ts';
import type { ParsedMarkdown } from '../../definitions/frontmatter.ts';
import type { LintProject } from '../types.ts';
import { defineRule } from '../types.ts';

/**
 * A build-commands definition whose rendered body would form `` !` `` or ```` ```! ```` from a variable and
 * the text around it. It renders the body exactly as the build does (src/compiler/render.ts, the package's
 * templates and partials; a definitions folder's own partials are not read here) and reports each place the
 * build's final pass has to break (src/compiler/neutralise.ts `formedShell`): so `lint` of the definitions finds
 * what `lint` of the output would have found, had the build not broken it.
 */

/** One renderer per linted project and scope (the agents of that scope may be spawned). */
const renderers = new WeakMap<LintProject, Map<string, BodyRenderer>>();

function rendererFor(project: LintProject, scope: string): BodyRenderer {
  let byScope = renderers.get(project);
  if (!byScope) renderers.set(project, (byScope = new Map()));
  let r = byScope.get(scope);
  if (!r) {
    const agents = project.files.filter((f) => f.scope === scope && f.kind === 'agent' && f.origin === 'definitions').map((f) => f.name);
    // The package's templates only: no file of the linted tree is read here (file walking is the linter's).
    r = new BodyRenderer('claude', loadTemplates(null), agents);
    byScope.set(scope, r);
  }
  return r;
}

/** The body offset of the `{{` next to the literal part of a formed match (the interpolation that formed it), or 0. */
function sourceOffset(body: string, f: FormedShell): number {
  if (f.literal) {
    const after = body.indexOf(`}}${f.literal}`);
    if (after !== -1) return Math.max(0, body.lastIndexOf('{{', after));
    const before = body.indexOf(`${f.literal}{{`);
    if (before !== -1) return before + f.literal.length;
  }
  return Math.max(0, body.indexOf('{{'));
}

function position(md: ParsedMarkdown, bodyOffset: number): { line: number; col: number } {
  return md.lineCounter.linePos(md.bodyStart + bodyOffset);
}

export default defineRule({
  meta: {
    id: 'interpolated-shell',
    description: 'A variable must not form `` !` `` or ```` ```! ```` with the text around it',
    severity: 'warning',
    docs: `Claude Code runs \`\` !\`cmd\` \`\` and \`\`\`\`\`\`\`!\`\`\`\` blocks before the prompt is sent (CLAUDE-CODE.md, Commands).
In a definition, text that comes from a variable (\`{{description}}\`, a helper argument) can form that syntax
with the literal text next to it — a description ending in two backquotes followed by \`{{description}}\`!\`
renders a \`\`\`\`\`\`\`!\`\`\`\` fence. The build breaks every such place with a space (it never runs), so the
output is safe; this rule shows where the definition relies on that. Reword the text around the variable.`,
    options: z.object({}),
  },
  examples: {
    valid: [{ files: { 'commands/ok.md': '---\ndescription: "Fine"\n---\nRun !`git status` first, then read {{description}}.\n' }, note: 'a `!` written whole in the source is the author\'s' }],
    invalid: [
      {
        files: { 'commands/x.md': '---\ndescription: "``"\n---\n{{description}}`!\nrm -rf ~\n```\n' },
        expected: ['commands/x.md:4:1: warning `{{...}}` forms ```! with the text next to it; Claude Code would run it, the build breaks it with a space [interpolated-shell]'],
      },
    ],
  },
  checkFile(file, ctx) {
    const md = file.md;
    if (!md || file.origin !== 'definitions' || (file.kind !== 'command' && file.kind !== 'agent') || !md.body.includes('{{')) return;
    const description = typeof md.data.description === 'string' ? md.data.description : '';
    const context =
      file.kind === 'command'
        ? { name: file.name, command: `/${file.name}`, target: 'claude', description }
        : { name: file.name, agent: file.name, target: 'claude', description };
    const rendered = rendererFor(ctx.project, file.scope).renderBody(md, context);
    for (const f of rendered.formed) {
      ctx.report(file, {
        ...position(md, sourceOffset(md.body, f)),
        message: `\`{{...}}\` forms ${f.kind} with the text next to it; Claude Code would run it, the build breaks it with a space`,
        hint: 'Reword the text around the variable so that no `!` touches a backquote.',
      });
    }
  },
});
