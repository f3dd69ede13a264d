import { describe, expect, it } from 'vitest';
import { dispatch, prepare, type AgentAction, type NextResult } from '../../src/runtime/dispatch/next.ts';
import type { AgentCatalog } from '../../src/runtime/dispatch/agent-types.ts';
import { parallelismOf } from '../../src/runtime/parallelism-limit.ts';
import { claimNext, isRunning } from '../../src/runtime/tickets.ts';
import type { SessionState, StateEvent } from '../../src/runtime/state.ts';
import type { TxContext } from '../../src/runtime/store/store.ts';
import { ms } from '../views/fixture.ts';
import { randomSession } from './random-session.ts';

const NOW = ms('11:20');
const catalog: AgentCatalog = { plugin: null, resolve: (wanted, worker) => ({ subagent_type: wanted ?? worker, source: 'pack', fallback: null }) };

/** A transaction context at `nowMs` collecting events; `commit` does what `transact` does after a change. */
function txAt(nowMs: number) {
  const events: Omit<StateEvent, 'seq' | 'time'>[] = [];
  const tx: TxContext = { now: new Date(nowMs).toISOString(), nowMs, emit: (e) => void events.push(e), logged: () => null, host: 'test' };
  const commit = (d: SessionState) => {
    if (events.length > 0) {
      d.revision += events.length;
      d.updated_at = tx.now;
    }
  };
  return { tx, events, commit };
}

const copy = (s: SessionState): SessionState => JSON.parse(JSON.stringify(s)) as SessionState;
const agentActions = (r: NextResult) => r.actions.filter((a): a is AgentAction => a.do === 'spawn' || a.do === 'review');

/** Workers the random coordinator reports as returned: some running agents, some unknown names. */
function returnedOf(state: SessionState, seed: number): string[] {
  return state.tickets.filter((t, i) => isRunning(t) && (seed + i) % 3 === 0).map((t) => t.agent!).concat(seed % 5 === 0 ? ['worker-9'] : []);
}

describe('next (dispatch) on 3,000 random sessions', () => {
  it('hands out only ready tickets, one per worker, within the limit and the files rule', () => {
    let spawned = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const state = randomSession(seed, { gates: true });
      const runningBefore = state.tickets.filter(isRunning).length;
      const { tx } = txAt(NOW);
      const r = dispatch(state, tx, { returned: returnedOf(state, seed), leaseMs: 60_000, checkpoint: null, agents: catalog });
      const spawns = r.actions.filter((a): a is AgentAction => a.do === 'spawn');
      spawned += spawns.length;
      const byId = new Map(state.tickets.map((t) => [t.id, t]));
      const holders = new Map<string, number>();
      for (const t of state.tickets) if (isRunning(t) && t.agent) holders.set(t.agent, (holders.get(t.agent) ?? 0) + 1);
      for (const a of spawns) {
        const t = byId.get(a.ticket)!;
        expect(t.status, `seed ${seed}`).toBe('claimed');
        expect(t.agent).toBe(a.worker);
        for (const d of t.dependencies) expect(byId.get(d)!.status, `seed ${seed}: ${t.id} before ${d}`).toBe('completed');
        expect(holders.get(a.worker), `seed ${seed}: ${a.worker} holds two tickets`).toBe(1);
        for (const o of state.tickets) {
          if (o === t || !isRunning(o)) continue;
          // a spawned ticket never shares a file with another running ticket (pre-existing clashes aside)
          if (spawns.some((x) => x.ticket === o.id) || o.agent?.startsWith('a')) expect(o.files.filter((f) => t.files.includes(f)), `seed ${seed}`).toEqual([]);
        }
        expect(a.prompt).toContain(`--id ${state.id} --agent ${a.worker} --ticket ${t.id}`);
      }
      if (spawns.length > 0) expect(state.tickets.filter(isRunning).length, `seed ${seed}`).toBeLessThanOrEqual(Math.max(parallelismOf(state).limit, runningBefore));
      const last = r.actions.at(-1)!;
      expect(['wait', 'report', 'escalate', 'stopped', 'review', 'spawn']).toContain(last.do);
    }
    expect(spawned).toBeGreaterThan(500);
  });

  it('makes the same choices as claimNext called for each free worker in turn', () => {
    for (let seed = 1; seed <= 3000; seed++) {
      const state = randomSession(seed, { gates: true });
      const returned = returnedOf(state, seed);
      const a = copy(state);
      const b = copy(state);
      const r = dispatch(a, txAt(NOW).tx, { returned, leaseMs: 60_000, checkpoint: null, agents: catalog });
      const { tx } = txAt(NOW);
      prepare(b, tx, returned);
      const chosen: string[] = [];
      if (b.status === 'coordinating') {
        const names = new Set(b.tickets.filter(isRunning).map((t) => t.agent));
        for (let i = 1; chosen.length < 1000; i++) {
          if (names.has(`worker-${i}`)) continue;
          const c = claimNext(b, tx, `worker-${i}`, 60_000, null);
          if (!c.ticket) break;
          chosen.push(`${c.ticket.id}@worker-${i}`);
        }
      }
      expect(r.actions.filter((x) => x.do === 'spawn').map((x) => `${(x as AgentAction).ticket}@${(x as AgentAction).worker}`), `seed ${seed}`).toEqual(chosen);
    }
  });

  it('is idempotent: called again with nothing changed it records nothing, hands nothing out twice, and ends the same', () => {
    let repeated = 0;
    for (let seed = 1; seed <= 1500; seed++) {
      const state = randomSession(seed, { gates: true });
      const first = txAt(NOW);
      const r1 = dispatch(state, first.tx, { returned: returnedOf(state, seed), leaseMs: 60_000, checkpoint: null, agents: catalog });
      first.commit(state);
      const before = JSON.stringify(state);
      const second = txAt(NOW + 1000);
      const r2 = dispatch(state, second.tx, { returned: [], leaseMs: 60_000, checkpoint: null, agents: catalog });
      expect(second.events, `seed ${seed}`).toEqual([]);
      expect(JSON.stringify(state)).toBe(before);
      expect(agentActions(r2), `seed ${seed}`).toEqual([]);
      expect(r2.actions.at(-1), `seed ${seed}`).toEqual(r1.actions.at(-1));
      if (agentActions(r1).length > 0) repeated++;
    }
    expect(repeated).toBeGreaterThan(200);
  });

  it('ends the run: completed → report, out of attempts → session failed, blocked → escalate', () => {
    let failed = 0;
    let completed = 0;
    let escalated = 0;
    for (let seed = 1; seed <= 3000; seed++) {
      const state = randomSession(seed, { gates: true });
      const { tx } = txAt(NOW);
      const r = dispatch(state, tx, { returned: state.tickets.filter(isRunning).map((t) => t.agent!), leaseMs: 60_000, checkpoint: null, agents: catalog });
      const last = r.actions.at(-1)!;
      if (last.do === 'report' && last.status === 'failed') {
        failed++;
        expect(state.status).toBe('failed');
        expect(state.tickets.some((t) => t.status === 'failed' && t.attempts >= (t.max_attempts ?? 3))).toBe(true);
        expect(state.tickets.filter(isRunning)).toEqual([]);
      }
      if (last.do === 'report' && last.status === 'completed') completed++;
      if (last.do === 'escalate') {
        escalated++;
        expect(state.tickets.filter(isRunning)).toEqual([]);
      }
      if (last.do === 'wait') expect(state.tickets.some(isRunning) || state.tickets.some((t) => t.status === 'review' && t.reviewer)).toBe(true);
    }
    expect(failed).toBeGreaterThan(20);
    expect(escalated).toBeGreaterThan(20);
    expect(completed + failed + escalated).toBeGreaterThan(100);
  });
});
