import { ToolError } from '../../diagnostics/errors.ts';
import { hostname } from 'node:os';
import type { SessionState, StateEvent } from '../state.ts';

/** An event as produced by a change (seq and time are filled in by the transaction). */
export type NewEvent = Omit<StateEvent, 'seq' | 'time'>;

/** What a change function gets besides the draft: the transaction time and a way to record events. */
export interface TxContext {
  /** The transaction's time (ISO): the store's clock (the database's `clock_timestamp()` on PostgreSQL). */
  readonly now: string;
  /** The same time in ms since the epoch. */
  readonly nowMs: number;
  /** The machine this call runs on (`ORCHESTRATE_HOST`, else the host name): recorded with each claim. */
  readonly host: string;
  /** Records one event; each event is one revision. A change that records no event writes nothing. */
  emit(event: NewEvent): void;
  /**
   * The session's logged events as stored now, for `resume`'s comparison of state and log; null where state
   * and log are written in one database transaction and so cannot drift (PostgreSQL).
   */
  logged(): readonly StateEvent[] | null;
}

/** A change to one session: edits `draft` in place and records events through `tx`; may throw (nothing is written). */
export type Change<T> = (draft: SessionState, tx: TxContext) => T;

/** What {@link runChange} did: the change's result and the events to commit (none: nothing to write). */
export interface ChangeRun<T> {
  result: T;
  events: StateEvent[];
}

/**
 * Runs `change` on `draft` (the session as read inside the store's lock or row lock) at time `ms` (epoch ms)
 * on machine `host`,
 * numbering its events from the draft's revision (seq = the new revision). When it recorded events, sets the
 * draft's `revision` and `updated_at`. The same for every store, so both decide alike.
 * @throws ToolError `InvalidTransition` when the session is `stopped` (final) and the change recorded an event;
 *   what `change` throws. The draft must then be discarded.
 */
export function runChange<T>(draft: SessionState, ms: number, host: string, change: Change<T>, logged: () => readonly StateEvent[] | null): ChangeRun<T> {
  const now = new Date(ms).toISOString();
  const statusBefore = draft.status;
  const events: StateEvent[] = [];
  let revision = draft.revision;
  const tx: TxContext = {
    now,
    nowMs: ms,
    host,
    emit(e) {
      revision += 1;
      events.push({ seq: revision, time: now, agent: e.agent, verb: e.verb, ticket: e.ticket, before: e.before, after: e.after, ...(e.data ? { data: e.data } : {}) });
    },
    logged,
  };
  const result = change(draft, tx);
  if (events.length === 0) return { result, events };
  if (statusBefore === 'stopped') {
    throw new ToolError('InvalidTransition', `Session \`${draft.id}\` is stopped (final); \`${events[0]!.verb}\` was refused`, { hint: 'Start a new session with `init`. State unchanged.' });
  }
  draft.revision = revision;
  draft.updated_at = now;
  return { result, events };
}

/** The name of this machine as recorded with claims: `ORCHESTRATE_HOST` (tests of many hosts), else `os.hostname()`. */
export function hostName(env: Record<string, string | undefined>): string {
  return env.ORCHESTRATE_HOST || hostname();
}
