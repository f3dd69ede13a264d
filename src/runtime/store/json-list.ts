/**
 * A JSON array kept as one text cut at its items, so one item can be read (or replaced) without parsing the
 * others: the session cache stores the tickets this way, and the claim index its rows (`state-cache.ts`,
 * `claim-index.ts`).
 */

/**
 * A JSON array text cut at its items: `items` holds N + 1 offsets into `json` (each item's start, then the end
 * of the last item); an item's bytes run to the next offset minus its separating comma (see {@link listItem}).
 */
export interface JsonList {
  json: Buffer;
  items: readonly number[];
}

/** `[`, `]` and `,` as bytes (the frame of a {@link JsonList}). */
export const LIST_OPEN = Buffer.from('[');
export const LIST_CLOSE = Buffer.from(']');
export const LIST_COMMA = Buffer.from(',');

/** The bytes of item `i` of `list` (items are separated by commas, which are not included). */
export function listItem(list: JsonList, i: number): Buffer {
  const last = i === list.items.length - 2;
  return list.json.subarray(list.items[i]!, list.items[i + 1]! - (last ? 0 : 1));
}

/** One JSON array of `items` (each one JSON value's bytes), cut at its items. */
export function joinList(items: readonly Buffer[]): JsonList & { items: number[] } {
  const parts: Buffer[] = [LIST_OPEN];
  const offsets: number[] = [];
  let off = 1;
  for (let i = 0; i < items.length; i++) {
    if (i > 0) {
      parts.push(LIST_COMMA);
      off += 1;
    }
    offsets.push(off);
    parts.push(items[i]!);
    off += items[i]!.length;
  }
  offsets.push(off);
  parts.push(LIST_CLOSE);
  return { json: Buffer.concat(parts, off + 1), items: offsets };
}
