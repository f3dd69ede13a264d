import { ToolError } from '../diagnostics/errors.ts';
import type { Plan } from '../definitions/plan.ts';
import type { SessionState } from './state.ts';
import { loadSession, type Store } from './store/store.ts';
import { requiredSessions } from './store/watch.ts';

/**
 * Cross-session dependencies (seed 003): a plan ticket may `require` tickets of other sessions as
 * `SESSION:TICKET`. Checked at `init`: every required session exists and has that ticket, and no chain of
 * dependencies and requirements across sessions leads back to the ticket that starts it (a cycle would wait
 * forever). At run time, {@link satisfiedRequirements} says which requirements are met.
 */

/** Ticket dependencies and requirements of one session, by ticket id, as graph edges to `SESSION:TICKET` nodes. */
function edgesOf(session: string, tickets: readonly { id: string; dependencies: readonly string[]; requires?: readonly string[] }[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const t of tickets) out.set(`${session}:${t.id}`, [...t.dependencies.map((d) => `${session}:${d}`), ...(t.requires ?? [])]);
  return out;
}

/**
 * Checks the requirements of `plan`, to become session `id`, against the other sessions (`load` returns one by
 * id, or null when there is none).
 * @throws ToolError `InvalidPlan` naming the ticket and requirement: an unknown session or ticket, or a cycle
 *   across sessions (the path, e.g. `a:T1 → b:X → a:T1`). Nothing is created then.
 */
export async function checkRequirements(plan: Plan, id: string, load: (session: string) => Promise<SessionState | null>): Promise<void> {
  const edges = edgesOf(id, plan.tickets);
  const loaded = new Map<string, SessionState | null>();
  const get = async (sid: string): Promise<SessionState | null> => {
    if (!loaded.has(sid)) loaded.set(sid, sid === id ? null : await load(sid));
    return loaded.get(sid)!;
  };
  for (const t of plan.tickets) {
    for (const r of t.requires ?? []) {
      const [sid, tid] = [r.slice(0, r.indexOf(':')), r.slice(r.indexOf(':') + 1)];
      if (sid === id) throw new ToolError('InvalidPlan', `Ticket \`${t.id}\` requires \`${r}\` of this same session; use \`dependencies: [${tid}]\``);
      const other = await get(sid);
      if (!other) throw new ToolError('InvalidPlan', `Ticket \`${t.id}\` requires \`${r}\`, but there is no session \`${sid}\``, { hint: 'Create that session first (`init`), or fix the id (`sessions` lists them). No session was created.' });
      if (!other.tickets.some((x) => x.id === tid)) throw new ToolError('InvalidPlan', `Ticket \`${t.id}\` requires \`${r}\`, but session \`${sid}\` has no ticket \`${tid}\``);
      for (const [k, v] of edgesOf(sid, other.tickets)) edges.set(k, v);
    }
  }
  // Load every session reachable through requirements, then look for a cycle through this plan's tickets.
  for (let grew = true; grew; ) {
    grew = false;
    for (const targets of [...edges.values()]) {
      for (const n of targets) {
        const sid = n.slice(0, n.indexOf(':'));
        if (loaded.has(sid) || sid === id) continue;
        const s = await get(sid);
        if (s) for (const [k, v] of edgesOf(sid, s.tickets)) edges.set(k, v);
        grew = true;
      }
    }
  }
  const state = new Map<string, 1 | 2>();
  const path: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 2) return null;
    if (state.get(n) === 1) return [...path.slice(path.indexOf(n)), n];
    state.set(n, 1);
    path.push(n);
    for (const m of edges.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    path.pop();
    state.set(n, 2);
    return null;
  };
  for (const t of plan.tickets) {
    if (!t.requires?.length) continue;
    const cycle = visit(`${id}:${t.id}`);
    if (cycle) throw new ToolError('InvalidPlan', `Dependency cycle across sessions: ${cycle.join(' → ')}`, { hint: 'Remove one dependency or requirement in the cycle. No session was created.' });
  }
}

/**
 * The requirements on other sessions (`SESSION:TICKET` in tickets' `requires`) that are met now: read from
 * those sessions without their lock (a completed ticket stays completed unless rolled back). A missing or
 * unreadable session meets none. Empty — and nothing read — when no ticket requires another session.
 */
export async function satisfiedRequirements(store: Store, state: SessionState): Promise<Set<string>> {
  const out = new Set<string>();
  for (const sid of requiredSessions(state)) {
    try {
      for (const t of (await loadSession(store, sid)).state.tickets) if (t.status === 'completed') out.add(`${sid}:${t.id}`);
    } catch {
      /* meets nothing */
    }
  }
  return out;
}
