import type { TicketState, TicketStatus } from '../state.ts';

/**
 * The claim index: per ticket, only the fields `claim` and `complete` decide on, kept in the session cache
 * (`state-cache.ts`) beside the full tickets, so those verbs read small rows instead of materialising every
 * ticket. One row per ticket, in plan order, as a JSON array:
 *
 *   [id, status, agent, lease_expires_at, dependencies, files, requires]
 *
 * (`requires`: how many requirements on other sessions the ticket has). A row is a pure function of its ticket
 * ({@link indexRow}), so a write re-makes the rows of the tickets it changed and copies the others, exactly as
 * it does with the tickets' YAML and JSON. The index answers for the same YAML bytes as the rest of the cache:
 * a hand edit misses the cache, and the next reader that parses the YAML writes a fresh index.
 */

/** The JSON bytes of `t`'s row (see the file comment). */
export function indexRow(t: TicketState): Buffer {
  return Buffer.from(JSON.stringify([t.id, t.status, t.agent, t.lease_expires_at, t.dependencies, t.files, t.requires?.length ?? 0]), 'utf8');
}

type Row = [string, TicketStatus, string | null, string | null, string[], string[], number];

/** The rows of a session's tickets, read-only, with lookups by position (plan order) and id. */
export class ClaimIndex {
  readonly #rows: readonly Row[];
  #byId: Map<string, number> | null = null;

  private constructor(rows: readonly Row[]) {
    this.#rows = rows;
  }

  /**
   * Parses the rows of `json` (a JSON array of rows); null when it is not `count` well-formed rows (a damaged
   * cache: the caller reads the full state instead). Never throws.
   */
  static parse(json: Buffer, count: number): ClaimIndex | null {
    try {
      const rows = JSON.parse(json.toString('utf8')) as unknown;
      if (!Array.isArray(rows) || rows.length !== count) return null;
      for (const r of rows) {
        if (!Array.isArray(r) || r.length !== 7 || typeof r[0] !== 'string' || typeof r[1] !== 'string' || !Array.isArray(r[4]) || !Array.isArray(r[5])) return null;
      }
      return new ClaimIndex(rows as Row[]);
    } catch {
      return null;
    }
  }

  /** Builds the index of `tickets` directly (tests; the same rows {@link indexRow} stores). */
  static of(tickets: readonly TicketState[]): ClaimIndex {
    return ClaimIndex.parse(Buffer.from(`[${tickets.map((t) => indexRow(t).toString('utf8')).join(',')}]`), tickets.length)!;
  }

  /** Number of tickets. */
  get length(): number {
    return this.#rows.length;
  }
  id(i: number): string {
    return this.#rows[i]![0];
  }
  status(i: number): TicketStatus {
    return this.#rows[i]![1];
  }
  agent(i: number): string | null {
    return this.#rows[i]![2];
  }
  /** The lease end as stored (ISO time), or null. */
  lease(i: number): string | null {
    return this.#rows[i]![3];
  }
  dependencies(i: number): readonly string[] {
    return this.#rows[i]![4];
  }
  files(i: number): readonly string[] {
    return this.#rows[i]![5];
  }
  /** How many requirements on other sessions ticket `i` has. */
  requires(i: number): number {
    return this.#rows[i]![6];
  }
  /** The position of ticket `id`, or -1 (a map built on first use: O(n) once). */
  indexOf(id: string): number {
    if (this.#byId === null) {
      this.#byId = new Map();
      for (let i = 0; i < this.#rows.length; i++) this.#byId.set(this.#rows[i]![0], i);
    }
    return this.#byId.get(id) ?? -1;
  }
}
