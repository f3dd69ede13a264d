import { bodyPosition } from '../definitions/frontmatter.ts';
import type { LintFile } from './types.ts';
import type { Located } from './body.ts';

/** How an agent was named: a `subagent_type` value, a prose spawn instruction, or a definition helper. */
export type ReferenceKind = 'subagent_type' | 'instruction' | 'helper';

const SUBAGENT_TYPE = /subagent_type["'`]?\s*[:=]\s*["'`]?([A-Za-z0-9_.:-]+)/g;
const INSTRUCTION =
  /\b(?:[Uu]se|[Ss]pawn|[Ll]aunch|[Ii]nvoke|[Dd]elegate to|[Dd]ispatch|[Ss]tart)\s+(?:the\s+|an?\s+|one\s+)?(?:\*\*|`)([a-z0-9]+(?:-[a-z0-9]+)+|[a-z0-9-]+:[a-z0-9-]+)(?:\*\*|`)\s+(?:sub-?)?agents?\b/g;
const HELPER = /\{\{[#~]?\s*(?:spawn|agent)\s+"([^"]+)"/g;

/**
 * Agent names a body asks for: `subagent_type: "x"` / `subagent_type="x"` (what the Agent tool receives),
 * spawn instructions in prose ("use the **x** agent", "launch the `pk:x` subagent" — a hyphenated or namespaced
 * name in bold or backticks only, so "use a long-running agent" is not read as a name), and in build-commands definitions `{{agent "x"}}` /
 * `{{#spawn "x"}}` (definition names; the build namespaces them per target).
 */
export function agentReferences(file: LintFile): (Located & { kind: ReferenceKind })[] {
  const md = file.md;
  if (!md) return [];
  const body = md.body;
  const out: (Located & { kind: ReferenceKind })[] = [];
  const add = (re: RegExp, kind: ReferenceKind) => {
    for (const m of body.matchAll(re)) out.push({ text: m[1]!, kind, ...bodyPosition(md, m.index + m[0].lastIndexOf(m[1]!)) });
  };
  if (body.includes('subagent_type')) add(SUBAGENT_TYPE, 'subagent_type');
  if (body.includes('agent')) add(INSTRUCTION, 'instruction'); // the pattern ends with the word `agent(s)`
  if (file.origin === 'definitions') add(HELPER, 'helper');
  return out.filter((r) => !(file.origin === 'definitions' && r.text.includes('{{')));
}
