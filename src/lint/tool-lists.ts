import { listedRules } from './body.ts';
import { oncePerParse } from './per-parse.ts';
import { parsePermissionRule } from '../definitions/permissions.ts';
import type { Located } from './body.ts';
import type { LintFile } from './types.ts';

/** The frontmatter keys that hold tool names / permission rules for a file's kind. */
export function toolKeys(file: LintFile): string[] {
  if (file.kind === 'agent') return ['tools', 'disallowedTools'];
  if (file.kind === 'command' || file.kind === 'skill') return ['allowed-tools', 'disallowed-tools'];
  return [];
}

/** One listed rule of a tool key with its tool name (null when the rule is malformed). */
export interface ToolEntry {
  key: string;
  entry: Located;
  tool: string | null;
  error?: string;
}

/**
 * Each listed rule of each tool key with its tool name, parsed once per file (four rules ask); callers must not
 * mutate the result.
 */
export function toolEntries(file: LintFile): readonly ToolEntry[] {
  return file.md ? entriesOf(file.md).get(file.kind) ?? readEntries(file) : readEntries(file);
}

/** Per parsed file: the entries by file kind (the keys depend on the kind). */
const entriesOf = oncePerParse(() => new Map<string, ToolEntry[]>());

function readEntries(file: LintFile): ToolEntry[] {
  const out: ToolEntry[] = [];
  for (const key of toolKeys(file)) {
    for (const entry of listedRules(file, key) ?? []) {
      const p = parsePermissionRule(entry.text);
      out.push({ key, entry, tool: p.rule?.tool ?? null, ...(p.error ? { error: p.error } : {}) });
    }
  }
  if (file.md) entriesOf(file.md).set(file.kind, out);
  return out;
}
