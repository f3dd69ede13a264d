import type { TicketState, TicketStatus } from '../state.ts';
import { joinList, listItem, type JsonList } from './json-list.ts';

/**
 * The claim index: per ticket, only the fields `claim` and `complete` decide on, kept in the session cache
 * (`state-cache.ts`) beside the full tickets, so those verbs need not materialise every ticket. Two parts:
 *
 * - the **statuses**: one byte per ticket, in plan order (`p` pending, `c` claimed, `i` in progress, `r`
 *   review, `d` completed, `f` failed, `b` blocked, `?` anything else) — what every claim scans;
 * - one **row** per ticket, as a JSON array, parsed only for the tickets a decision looks at:
 *
 *     [id, status, agent, lease_expires_at, dependencies, files, requires]
 *
 *   where `dependencies` are the positions of the tickets depended on (-1 for an id not in the plan) and
 *   `requires` how many requirements on other sessions the ticket has.
 *
 * Both are a function of the ticket alone (and of where the tickets it depends on are), so a write re-makes
 * the parts of the tickets it changed and copies the others, exactly as it does with the tickets' YAML and
 * JSON. The index answers for the same YAML bytes as the rest of the cache: a hand edit misses the cache, and
 * the next reader that parses the YAML writes a fresh index.
 */

/** Thrown when a part of the cache does not parse (a damaged cache): the caller takes the full path. */
export class DamagedCache extends Error {}

const CODES: Readonly<Record<TicketStatus, number>> = { pending: 0x70, claimed: 0x63, in_progress: 0x69, review: 0x72, completed: 0x64, failed: 0x66, blocked: 0x62 };
const BY_CODE = new Map<number, TicketStatus>(Object.entries(CODES).map(([s, c]) => [c, s as TicketStatus]));
const UNKNOWN = 0x3f; // '?'

/** The status byte of `status` (see the file comment). */
export function statusCode(status: string): number {
  return CODES[status as TicketStatus] ?? UNKNOWN;
}

/** The status bytes of `tickets`, in order. */
export function statusBytes(tickets: readonly Pick<TicketState, 'status'>[]): Buffer {
  const out = Buffer.allocUnsafe(tickets.length);
  for (let i = 0; i < tickets.length; i++) out[i] = statusCode(tickets[i]!.status);
  return out;
}

/** The position of each ticket id in `tickets` (for {@link indexRow}). */
export function positions(tickets: readonly Pick<TicketState, 'id'>[]): Map<string, number> {
  const out = new Map<string, number>();
  tickets.forEach((t, i) => out.set(t.id, i));
  return out;
}

/** The JSON bytes of `t`'s row (see the file comment); `at` gives the position of a ticket id. */
export function indexRow(t: TicketState, at: ReadonlyMap<string, number>): Buffer {
  // a state always has both lists (the session schema); a partial object (tests, a damaged state) still gets a row
  const deps = (t.dependencies ?? []).map((d) => at.get(d) ?? -1);
  return Buffer.from(JSON.stringify([t.id, t.status, t.agent ?? null, t.lease_expires_at ?? null, deps, t.files ?? [], t.requires?.length ?? 0]), 'utf8');
}

type Row = [string, string, string | null, string | null, number[], string[], number];

/** A session's claim index, read-only; rows are parsed on first use. */
export class ClaimIndex {
  readonly #statuses: Buffer;
  readonly #rows: JsonList;
  readonly #parsed: (Row | undefined)[];

  private constructor(statuses: Buffer, rows: JsonList) {
    this.#statuses = statuses;
    this.#rows = rows;
    this.#parsed = new Array<Row | undefined>(statuses.length);
  }

  /** The index of `statuses` and `rows`, or null when their sizes disagree (nothing is parsed here). */
  static from(statuses: Buffer, rows: JsonList): ClaimIndex | null {
    return rows.items.length === statuses.length + 1 ? new ClaimIndex(statuses, rows) : null;
  }

  /** The index of `tickets` built directly (tests; the same bytes a cache stores). */
  static of(tickets: readonly TicketState[]): ClaimIndex {
    const at = positions(tickets);
    return new ClaimIndex(statusBytes(tickets), joinList(tickets.map((t) => indexRow(t, at))));
  }

  /** Number of tickets. */
  get length(): number {
    return this.#statuses.length;
  }

  /** The status of ticket `i`, or null for a status the index does not code. O(1), no parse. */
  status(i: number): TicketStatus | null {
    return BY_CODE.get(this.#statuses[i]!) ?? null;
  }

  /** Ticket `i`'s row, parsed on first use. @throws DamagedCache when it does not parse as a row. */
  #row(i: number): Row {
    let r = this.#parsed[i];
    if (r === undefined) {
      try {
        r = JSON.parse(listItem(this.#rows, i).toString('utf8')) as Row;
      } catch {
        throw new DamagedCache(`claim index row ${i} does not parse`);
      }
      if (!Array.isArray(r) || r.length !== 7 || typeof r[0] !== 'string' || !Array.isArray(r[4]) || !Array.isArray(r[5]) || typeof r[6] !== 'number') {
        throw new DamagedCache(`claim index row ${i} is not a row`);
      }
      this.#parsed[i] = r;
    }
    return r;
  }

  id(i: number): string {
    return this.#row(i)[0];
  }
  agent(i: number): string | null {
    return this.#row(i)[2];
  }
  /** The lease end as stored (ISO time), or null. */
  lease(i: number): string | null {
    return this.#row(i)[3];
  }
  /** The positions of the tickets ticket `i` depends on (-1: an id that is not in the plan). */
  dependencies(i: number): readonly number[] {
    return this.#row(i)[4];
  }
  files(i: number): readonly string[] {
    return this.#row(i)[5];
  }
  /** How many requirements on other sessions ticket `i` has. */
  requires(i: number): number {
    return this.#row(i)[6];
  }

  /**
   * The position of ticket `id`, or -1: a byte search for the row that starts with it (no row parsed but the
   * one found). @throws DamagedCache.
   */
  indexOf(id: string): number {
    const needle = Buffer.from(`[${JSON.stringify(id)},`, 'utf8');
    const items = this.#rows.items;
    for (let at = this.#rows.json.indexOf(needle); at !== -1; at = this.#rows.json.indexOf(needle, at + 1)) {
      // a row starts at one of the offsets: find it by bisection
      let lo = 0;
      let hi = this.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (items[mid]! === at) return this.id(mid) === id ? mid : -1;
        if (items[mid]! < at) lo = mid + 1;
        else hi = mid - 1;
      }
    }
    return -1;
  }
}
