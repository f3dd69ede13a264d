import { Document } from 'yaml';
import { TOOL_LIST_KEYS } from '../definitions/schemas.ts';

/**
 * Serialises frontmatter data as Claude Code expects it (../shared/CLAUDE-CODE.md "Commands"): every string
 * double-quoted (so `: `, `[`, `!` and friends can never break the YAML and drop all metadata), tool lists
 * (`allowed-tools`, `tools`, ...) written as one comma string, keys in the order of `keyOrder` (unlisted
 * keys after, sorted). Returns the YAML lines without the `---` fences, ending in `\n` (or `''` for no keys).
 */
export function serializeFrontmatter(data: Record<string, unknown>, keyOrder: readonly string[]): string {
  const keys = Object.keys(data).filter((k) => data[k] !== undefined);
  const rank = (k: string) => {
    const i = keyOrder.indexOf(k);
    return i === -1 ? keyOrder.length : i;
  };
  keys.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = data[k];
    out[k] = (TOOL_LIST_KEYS as readonly string[]).includes(k) && Array.isArray(v) ? v.join(', ') : v;
  }
  if (keys.length === 0) return '';
  return new Document(out).toString({ defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', lineWidth: 0 });
}
