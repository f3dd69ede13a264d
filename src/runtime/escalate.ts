import { transition } from './session.ts';
import type { Blocker, SessionState, SessionStatus } from './state.ts';
import { loadSession, storeNow, transact, type Store, type TxContext } from './store/store.ts';
import { addBlocker } from './tickets.ts';
import { analyzeBlockers, type BlockerAnalysis, type BlockerFinding } from './views/blockers.ts';

/**
 * `blockers [--escalate]`: the views' blocker analysis, and escalation — recording the findings as blockers
 * and blocking the session only when it cannot progress. Loaded with `await import(...)` (it pulls in the
 * views); not on `claim`'s path.
 */

/** Options of {@link blockers}. */
export interface BlockersOptions {
  /** Record the warning / error findings as blockers and set `escalation` (see {@link applyEscalation}). */
  escalate: boolean;
  /** Minutes without a heartbeat after which a running ticket is stalled (default: the views' 30). */
  stallMinutes?: number;
}

/** What {@link blockers} found and did. */
export interface BlockersResult {
  analysis: BlockerAnalysis;
  /** Ids of the open blockers that cover the warning / error findings ([] without `escalate`). */
  escalated: string[];
  /** Of {@link escalated}, the blockers recorded by this call (the others were open already). */
  added: string[];
  /** The session status afterwards. */
  status: SessionStatus;
}

/**
 * True when open blocker `b` already stands for finding `f`: same ticket, and the same kind — or `f` is the
 * views' `blocked` finding for a ticket an agent blocked (blocker kind `ticket`). The reason is not compared:
 * it carries times (`lease expired 12m ago`) that change between calls.
 */
function covers(b: Blocker, f: BlockerFinding): boolean {
  if (b.resolved_at !== null || b.ticket !== f.ticket) return false;
  return b.kind === f.kind || (f.kind === 'blocked' && b.kind === 'ticket');
}

/**
 * Escalates `analysis` (made on `draft`) inside a transaction: every `warning` / `error` finding becomes a
 * blocker unless an open blocker covers it already; `draft.escalation` = `{at, reason: summary, blockers}`.
 * When `analysis.halt` (an error: deadlock, two running tickets on one file) and the session is
 * `coordinating`, the session moves to `blocked` (event `escalate`); otherwise the session keeps its status —
 * a warning such as one failed dependency leaves other branches claimable — and one `escalate` event records
 * the escalation. Nothing is changed or logged when every finding was covered already and the last escalation
 * lists the same blockers, unless a halt must still block the session. Returns the covering ids and the new ones.
 */
export function applyEscalation(draft: SessionState, tx: TxContext, analysis: BlockerAnalysis): { escalated: string[]; added: string[] } {
  const escalated: string[] = [];
  const added: string[] = [];
  for (const f of analysis.findings) {
    if (f.severity === 'info') continue;
    const open = draft.blockers.find((b) => covers(b, f));
    if (open) {
      if (!escalated.includes(open.id)) escalated.push(open.id);
      continue;
    }
    const b = addBlocker(draft, tx, { kind: f.kind, ticket: f.ticket, agent: f.agent, reason: f.reason });
    escalated.push(b.id);
    added.push(b.id);
  }
  const mustBlock = analysis.halt && draft.status === 'coordinating';
  const same = draft.escalation !== null && draft.escalation.blockers.length === escalated.length && draft.escalation.blockers.every((id, i) => id === escalated[i]);
  if (escalated.length === 0 || (added.length === 0 && same && !mustBlock)) return { escalated, added };
  draft.escalation = { at: tx.now, reason: analysis.summary, blockers: escalated };
  if (mustBlock) transition(draft, tx, 'blocked', 'escalate', null, analysis.summary);
  else tx.emit({ agent: null, verb: 'escalate', ticket: null, before: draft.status, after: draft.status, data: { blockers: escalated, added, halt: analysis.halt, reason: analysis.summary } });
  return { escalated, added };
}

/**
 * `blockers [--escalate] [--stall-minutes N]` on session `id`: analyses the state (views' `analyzeBlockers`,
 * at the store's clock), and with `escalate` applies {@link applyEscalation} in one transaction on the state
 * as re-read under the lock (analysed again there). Without findings to escalate nothing is written.
 * @throws ToolError `SessionNotFound`, `InvalidState`, `LockTimeout`.
 */
export async function blockers(store: Store, id: string, options: BlockersOptions): Promise<BlockersResult> {
  const state = (await loadSession(store, id)).state;
  const { satisfiedRequirements } = await import('./cross-session.ts');
  const satisfied = await satisfiedRequirements(store, state);
  const analyze = (s: SessionState, ms: number): BlockerAnalysis => analyzeBlockers(s, { nowMs: ms, satisfied, ...(options.stallMinutes !== undefined ? { stallMinutes: options.stallMinutes } : {}) });
  const analysis = analyze(state, storeNow(store));
  if (!options.escalate || !analysis.escalate) return { analysis, escalated: [], added: [], status: state.status };
  return transact(store, id, (d, tx) => {
    const now = analyze(d, tx.nowMs);
    const { escalated, added } = applyEscalation(d, tx, now);
    return { analysis: now, escalated, added, status: d.status };
  });
}
