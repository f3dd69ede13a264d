/**
 * `record[key]` when `record` has `key` as its own property, else undefined. For tables looked up by a name a
 * user wrote (a frontmatter key, a tool in `allowed-tools`, a CLI verb or profile): a plain object also answers
 * `constructor`, `toString` and the rest of `Object.prototype`, which then pass for entries of the table.
 */
export function ownValue<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
