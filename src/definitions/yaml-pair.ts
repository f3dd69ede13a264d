import { isMap, isScalar, type Pair } from 'yaml';

/**
 * The pair of YAML mapping `map` whose scalar key is `key`, or undefined (also when `map` is not a mapping).
 * Keys are compared as the strings `toJS` makes of them, so the key `1:` or `true:` in a file is found by the
 * `'1'` or `'true'` of a zod issue path or of `Object.keys` (a strict `===` on the scalar's value misses it).
 */
export function pairOf(map: unknown, key: string | number): Pair | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((it) => isScalar(it.key) && String(it.key.value) === String(key));
}
