import { listedRules } from './body.ts';
import { parsePermissionRule } from '../definitions/permissions.ts';
import type { Located } from './body.ts';
import type { LintFile } from './types.ts';

/** The frontmatter keys that hold tool names / permission rules for a file's kind. */
export function toolKeys(file: LintFile): string[] {
  if (file.kind === 'agent') return ['tools', 'disallowedTools'];
  if (file.kind === 'command' || file.kind === 'skill') return ['allowed-tools', 'disallowed-tools'];
  return [];
}

/** Each listed rule of each tool key with its tool name (null when the rule is malformed). */
export function* toolEntries(file: LintFile): Generator<{ key: string; entry: Located; tool: string | null; error?: string }> {
  for (const key of toolKeys(file)) {
    for (const entry of listedRules(file, key) ?? []) {
      const p = parsePermissionRule(entry.text);
      yield { key, entry, tool: p.rule?.tool ?? null, ...(p.error ? { error: p.error } : {}) };
    }
  }
}
