/**
 * A binary min-heap of small non-negative integers (ticket or agent indices) ordered by `primary[v]`, then
 * `secondary[v]` when given, then `v` itself. Keys are read from the arrays at comparison time, so they
 * must not change while `v` is in the heap. Push and pop are O(log n). One comparison routine for every
 * use keeps the hot loop monomorphic (no per-heap comparator closures).
 */
export class IndexHeap {
  private items: Int32Array = new Int32Array(16);
  private count = 0;

  constructor(
    private readonly primary: ArrayLike<number>,
    private readonly secondary: ArrayLike<number> | null = null,
  ) {}

  /** Number of items held. */
  get size(): number {
    return this.count;
  }

  private less(a: number, b: number): boolean {
    const pa = this.primary[a]!;
    const pb = this.primary[b]!;
    if (pa !== pb) return pa < pb;
    if (this.secondary !== null) {
      const sa = this.secondary[a]!;
      const sb = this.secondary[b]!;
      if (sa !== sb) return sa < sb;
    }
    return a < b;
  }

  /** Adds `v`. */
  push(v: number): void {
    if (this.count === this.items.length) {
      const grown = new Int32Array(this.items.length * 2);
      grown.set(this.items);
      this.items = grown;
    }
    const a = this.items;
    let i = this.count++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(v, a[p]!)) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = v;
  }

  /** The smallest item without removing it, or undefined when empty. */
  peek(): number | undefined {
    return this.count > 0 ? this.items[0] : undefined;
  }

  /** Removes and returns the smallest item, or undefined when empty. */
  pop(): number | undefined {
    if (this.count === 0) return undefined;
    const a = this.items;
    const top = a[0]!;
    const last = a[--this.count]!;
    const n = this.count;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && this.less(a[r]!, a[l]!) ? r : l;
      if (!this.less(a[c]!, last)) break;
      a[i] = a[c]!;
      i = c;
    }
    if (n > 0) a[i] = last;
    return top;
  }
}
