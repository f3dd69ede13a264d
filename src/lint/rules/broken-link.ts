import path from 'node:path';
import type { Definition, Image, Link } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { visit } from 'unist-util-visit';
import { z } from 'zod';
import { bodyPosition } from '../../definitions/frontmatter.ts';
import { fencedBlocks } from '../body.ts';
import { defineRule } from '../types.ts';

/** Relative markdown links and images whose target file does not exist. */
export default defineRule({
  meta: {
    id: 'broken-link',
    description: 'Relative links must point to files that exist',
    severity: 'warning',
    docs: `Links in a command or agent are often instructions ("follow [the checklist](../docs/checklist.md)"): when
the file is not there, the model reads the link, tries the path and improvises. Relative links (no scheme, not
\`#anchor\`) are resolved against the linking file, as remark parses them (links in code are not links; only paragraphs holding a missing target are parsed).
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
    const body = md.body;
    const dir = path.posix.dirname(file.path);
    const resolve = (url: string): { target: string; resolved: string } | null => {
      if (!url || /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('#') || url.startsWith('/') || url.startsWith('<') || /[$%{]/.test(url.replace(/%[0-9a-f]{2}/gi, ''))) return null;
      let target: string;
      try {
        target = decodeURI(url.split('#')[0]!.split('?')[0]!);
      } catch {
        return null;
      }
      return target === '' ? null : { target, resolved: path.posix.normalize(path.posix.join(dir, target)) };
    };
    // Cheap pass: candidate URLs outside fences. Only a paragraph holding a target that does not exist is parsed
    // with remark, which decides whether it really is a link (not code, not text) and where it starts.
    const fences = fencedBlocks(body);
    const paragraphs = new Set<number>();
    for (const m of body.matchAll(/\]\(\s*<?([^)\s>]+)|^[ \t]{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) {
      if (fences.some((b) => m.index >= b.offset && m.index < b.end)) continue;
      const r = resolve((m[1] ?? m[2])!);
      if (!r || ctx.project.exists(r.resolved)) continue;
      const before = body.lastIndexOf('\n\n', m.index);
      paragraphs.add(before === -1 ? 0 : before + 2);
    }
    for (const start of paragraphs) {
      const endAt = body.indexOf('\n\n', start);
      const snippet = body.slice(start, endAt === -1 ? body.length : endAt);
      visit(fromMarkdown(snippet), (node) => {
        if (node.type !== 'link' && node.type !== 'image' && node.type !== 'definition') return;
        const n = node as Link | Image | Definition;
        const r = resolve(n.url);
        if (!r || ctx.project.exists(r.resolved)) return;
        ctx.report(file, { ...bodyPosition(md, start + (n.position?.start.offset ?? 0)), message: `Link target \`${r.target}\` does not exist, expected a file at \`${r.resolved}\`` });
      });
    }
  },
});
