import path from 'node:path';
import type { Definition, Image, Link } from 'mdast';
import { visit } from 'unist-util-visit';
import { z } from 'zod';
import { bodyPosition } from '../../definitions/frontmatter.ts';
import { defineRule } from '../types.ts';

/** Relative markdown links and images whose target file does not exist. */
export default defineRule({
  meta: {
    id: 'broken-link',
    description: 'Relative links must point to files that exist',
    severity: 'warning',
    docs: `Links in a command or agent are often instructions ("follow [the checklist](../docs/checklist.md)"): when
the file is not there, the model reads the link, tries the path and improvises. Relative links (no scheme, not
\`#anchor\`) are resolved against the linking file, as remark parses them (links in code are not links).
Paths containing \`\${CLAUDE_PLUGIN_ROOT}\` or other variables are skipped. For build-commands definitions the
link is checked from the source file.`,
    options: z.object({}),
  },
  examples: {
    valid: [
      {
        files: {
          '.claude/commands/go.md': '---\ndescription: "Go"\n---\nSee [the guide](../docs/guide.md#setup) and [site](https://example.com).\n',
          '.claude/docs/guide.md': '# Guide\n',
        },
      },
    ],
    invalid: [
      {
        files: { '.claude/commands/go.md': '---\ndescription: "Go"\n---\nSee [the plan](notes/plan.md) and ![chart](img/chart.png).\n\n`[not a link](x.md)`\n' },
        expected: [
          '.claude/commands/go.md:4:5: warning Link target `notes/plan.md` does not exist, expected a file at `.claude/commands/notes/plan.md` [broken-link]',
          '.claude/commands/go.md:4:35: warning Link target `img/chart.png` does not exist, expected a file at `.claude/commands/img/chart.png` [broken-link]',
        ],
      },
    ],
  },
  checkFile(file, ctx) {
    const md = file.md;
    if (!md || (file.kind !== 'command' && file.kind !== 'skill' && file.kind !== 'agent') || !/\]\s*[(:]/.test(md.body)) return;
    const dir = path.posix.dirname(file.path);
    visit(file.mdast(), (node) => {
      if (node.type !== 'link' && node.type !== 'image' && node.type !== 'definition') return;
      const n = node as Link | Image | Definition;
      const url = n.url;
      if (!url || /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('#') || url.startsWith('/') || url.startsWith('<') || /[$%{]/.test(url.replace(/%[0-9a-f]{2}/gi, ''))) return;
      const target = decodeURI(url.split('#')[0]!.split('?')[0]!);
      if (target === '') return;
      const resolved = path.posix.normalize(path.posix.join(dir, target));
      if (ctx.project.exists(resolved)) return;
      ctx.report(file, { ...bodyPosition(md, n.position?.start.offset ?? 0), message: `Link target \`${target}\` does not exist, expected a file at \`${resolved}\`` });
    });
  },
});
