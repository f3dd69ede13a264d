import path from 'node:path';
import type { Definition, Image, Link } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { visit } from 'unist-util-visit';
import { z } from 'zod';
import { bodyPosition } from '../../definitions/frontmatter.ts';
import { bodyFences } from '../body.ts';
import { defineRule } from '../types.ts';

/** Longest paragraph (characters) parsed whole; longer ones are parsed line by line. */
const PARAGRAPH_MAX = 4000;

/** Index of the last element of the sorted `xs` that is ≤ `x`, or -1. */
function lastAtMost(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

/** A membership test for sorted, non-overlapping `[start, end)` ranges, in O(log n). */
function sortedRanges(ranges: [number, number][]): (offset: number) => boolean {
  const starts = ranges.map((r) => r[0]);
  return (offset) => {
    const i = lastAtMost(starts, offset);
    return i >= 0 && offset < ranges[i]![1];
  };
}

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
    // Cheap pass: candidate URLs outside fences. Only the paragraph holding a target that does not exist is parsed
    // with remark, which decides whether it really is a link (not code, not text) and where it starts. A
    // paragraph over PARAGRAPH_MAX characters is read line by line with a pattern instead (remark is superlinear on one huge
    // paragraph full of brackets: 40k lines took 85 s), so the time stays linear in the file size.
    const fences = bodyFences(md);
    const inFence = sortedRanges(fences.map((b) => [b.offset, b.end]));
    const breaks = [...body.matchAll(/\n\n/g)].map((m) => m.index + 2);
    const units = new Map<number, number>(); // start → end of each paragraph to parse
    const lineLinks: { offset: number; target: string; resolved: string }[] = []; // links in huge paragraphs
    for (const m of body.matchAll(/\]\(\s*<?([^)\s>]+)|^[ \t]{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) {
      if (inFence(m.index)) continue;
      const r = resolve((m[1] ?? m[2])!);
      if (!r || ctx.project.exists(r.resolved)) continue;
      const i = lastAtMost(breaks, m.index);
      const start = i < 0 ? 0 : breaks[i]!;
      const end = i + 1 < breaks.length ? breaks[i + 1]! - 2 : body.length;
      if (end - start <= PARAGRAPH_MAX) units.set(start, end);
      else if (m[1] !== undefined) {
        // Huge paragraph: a `](` outside inline code on its line is taken as a link, without remark.
        const ls = body.lastIndexOf('\n', m.index) + 1;
        const ticks = (body.slice(ls, m.index).match(/`/g)?.length ?? 0) % 2;
        const open = body.lastIndexOf('[', m.index);
        if (ticks === 0 && open >= ls) lineLinks.push({ offset: open, ...r });
      }
    }
    for (const l of lineLinks)
      ctx.report(file, { ...bodyPosition(md, l.offset), message: `Link target \`${l.target}\` does not exist, expected a file at \`${l.resolved}\`` });
    for (const [start, end] of units) {
      const snippet = body.slice(start, end);
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
