import type { SessionState, StateEvent } from '../state.ts';
import { isRunning } from '../scheduler/from-state.ts';

/**
 * One attempt at a ticket by one agent: from its claim to the event that ended it (epoch ms).
 * `outcome`: the ticket status the attempt ended in (`completed`, `failed`, `pending` after a retry,
 * `blocked`), `expired` when its lease ran out, `released` when `resume --release` gave it back, or `running` when it is still going (then `end` = now).
 */
export interface Attempt {
  readonly ticket: string;
  readonly agent: string | null;
  readonly start: number;
  readonly end: number;
  readonly outcome: string;
}

/**
 * Every attempt of the session, in claim order. From the event log when `events` is not empty (a `claim`
 * opens an attempt; the next event of that ticket leaving `claimed` / `in_progress` closes it); otherwise
 * from the state alone (one attempt per claimed ticket: `claimed_at` or `started_at` to `completed_at`, or
 * now while running). Attempts still open at the end of the log close at `nowMs` when their ticket is
 * still running, else at the ticket's `completed_at` (or `nowMs`).
 */
export function attemptsOf(state: SessionState, events: readonly StateEvent[], nowMs: number): Attempt[] {
  const out: Attempt[] = [];
  if (events.length === 0) {
    for (const t of state.tickets) {
      const from = t.claimed_at ?? t.started_at;
      if (from === null) continue;
      const running = isRunning(t, nowMs);
      if (!running && t.status !== 'completed' && t.status !== 'failed') continue;
      const end = running ? nowMs : t.completed_at ? Date.parse(t.completed_at) : nowMs;
      out.push({ ticket: t.id, agent: t.agent, start: Date.parse(from), end, outcome: running ? 'running' : t.status });
    }
    return out;
  }
  const open = new Map<string, { agent: string | null; start: number; index: number }>();
  const slots: (Attempt | null)[] = [];
  for (const e of events) {
    if (e.ticket === null) continue;
    const ms = Date.parse(e.time);
    if (e.verb === 'claim') {
      open.set(e.ticket, { agent: e.agent, start: ms, index: slots.length });
      slots.push(null);
      continue;
    }
    const o = open.get(e.ticket);
    if (!o) continue;
    if (e.after === 'claimed' || e.after === 'in_progress') continue;
    slots[o.index] = { ticket: e.ticket, agent: o.agent, start: o.start, end: ms, outcome: e.verb === 'expire' ? 'expired' : e.verb === 'release' ? 'released' : (e.after ?? e.verb) };
    open.delete(e.ticket);
  }
  const byId = new Map(state.tickets.map((t) => [t.id, t]));
  for (const [ticket, o] of open) {
    const t = byId.get(ticket);
    const running = t !== undefined && isRunning(t, nowMs);
    const end = running ? nowMs : t?.completed_at ? Date.parse(t.completed_at) : nowMs;
    slots[o.index] = { ticket, agent: o.agent, start: o.start, end, outcome: running ? 'running' : (t?.status ?? 'unknown') };
  }
  for (const s of slots) if (s !== null) out.push(s);
  return out;
}
