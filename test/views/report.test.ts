import { describe, expect, it } from 'vitest';
import { completionReport, renderReportMarkdown } from '../../src/runtime/views/report.ts';
import { consolidate, renderConsolidatedMarkdown } from '../../src/runtime/views/consolidate.ts';
import { attemptsOf } from '../../src/runtime/views/attempts.ts';
import { round1 } from '../../src/runtime/views/format.ts';
import { at, ev, midFlight, ms, resetSeq, session, ticket } from './fixture.ts';

/**
 * A finished session, 10:00–11:00 on 2 agents: A (critical, 60m) on agent-001 10:00–11:00; B (high, 30m) on
 * agent-002 10:00–10:20 — its first attempt expired at 10:10 and was re-claimed; C (low, 30m, after B) on
 * agent-002 10:20–10:55. Agent time: 60 + 10 + 10 + 35 = 115 minutes over 60 → parallelism 1.92.
 */
function finished() {
  resetSeq();
  const state = session(
    [
      ticket('A', { priority: 'critical', estimate_minutes: 60, status: 'completed', agent: 'agent-001', started_at: at('10:00'), completed_at: at('11:00'), summary: 'A done' }),
      ticket('B', { priority: 'high', estimate_minutes: 30, status: 'completed', agent: 'agent-002', started_at: at('10:00'), completed_at: at('10:20') }),
      ticket('C', { priority: 'low', estimate_minutes: 30, dependencies: ['B'], status: 'completed', agent: 'agent-002', started_at: at('10:20'), completed_at: at('10:55') }),
    ],
    { status: 'completed', completed_at: at('11:00'), agents: 2, strategy: 'maximum', blockers: [{ id: 'B1', kind: 'file-conflict', ticket: 'C', agent: null, reason: 'x', created_at: at('10:30'), resolved_at: at('10:40'), resolution: 'serialised' }] },
  );
  const events = [
    ev('10:00', 'claim', 'A', 'agent-001', 'pending', 'claimed'),
    ev('10:00', 'claim', 'B', 'agent-002', 'pending', 'claimed'),
    ev('10:05', 'heartbeat', 'B', 'agent-002', 'claimed', 'in_progress'),
    ev('10:10', 'expire', 'B', 'agent-002', 'in_progress', 'pending'),
    ev('10:10', 'claim', 'B', 'agent-002', 'pending', 'claimed'),
    ev('10:20', 'complete', 'B', 'agent-002', 'claimed', 'completed'),
    ev('10:20', 'claim', 'C', 'agent-002', 'pending', 'claimed'),
    ev('10:55', 'complete', 'C', 'agent-002', 'claimed', 'completed'),
    ev('11:00', 'complete', 'A', 'agent-001', 'claimed', 'completed'),
  ];
  return { state, events };
}

describe('attempts', () => {
  it('reads attempts from the log: an expired lease ends one attempt', () => {
    const { state, events } = finished();
    expect(attemptsOf(state, events, ms('12:00')).map((a) => `${a.ticket} ${a.agent} ${(a.end - a.start) / 60_000}m ${a.outcome}`)).toEqual([
      'A agent-001 60m completed',
      'B agent-002 10m expired',
      'B agent-002 10m completed',
      'C agent-002 35m completed',
    ]);
  });

  it('an attempt given back by resume --release ends as released', () => {
    const { state, events } = finished();
    const withRelease = [...events.slice(0, 3), ev('10:08', 'release', 'B', 'agent-002', 'in_progress', 'pending'), ...events.slice(4)];
    expect(attemptsOf(state, withRelease, ms('12:00')).map((a) => `${a.ticket} ${a.outcome}`)).toContain('B released');
  });
});

describe('completion report', () => {
  it('computes duration vs estimate, parallelism and utilisation by hand', () => {
    const { state, events } = finished();
    const r = completionReport(state, events, ms('12:00'));
    expect(r.wallMinutes).toBe(60);
    expect(r.estimatedMinutes).toBe(60); // A ‖ B→C on 2 agents
    expect(r.vsEstimatePercent).toBe(0);
    expect(r.agentMinutes).toBe(115);
    expect(r.parallelismFactor).toBe(1.92);
    expect(r.estimateAccuracy).toBe(round2((60 + 10 + 35) / 120));
    expect(r.retries).toBe(1);
    expect(r.agents).toEqual([
      { agent: 'agent-001', completed: 1, failed: 0, attempts: 1, busyMinutes: 60, utilisation: 100 },
      { agent: 'agent-002', completed: 2, failed: 0, attempts: 3, busyMinutes: 55, utilisation: 91.7 },
    ]);
    // seed 004's "Resource Efficiency": 115 agent minutes of 2 slots × 60 min; per ticket: the completing attempt
    expect([r.slots, r.resourceEfficiency]).toEqual([2, round1((115 / 120) * 100)]);
    expect(r.durations).toEqual([
      { ticket: 'A', estimateMinutes: 60, actualMinutes: 60 },
      { ticket: 'B', estimateMinutes: 30, actualMinutes: 10 },
      { ticket: 'C', estimateMinutes: 30, actualMinutes: 35 },
    ]);
    expect(renderReportMarkdown(r)).toMatchInlineSnapshot(`
      "# Completion summary: Parser rewrite

      Session \`exec-1\` · status **completed** · 2 agents · strategy maximum

      ## Execution summary

      - Total duration: 1h (as estimated: 1h)
      - Tickets completed: 3/3 (100%)
      - Tickets failed: 0
      - Conflicts resolved: 1 of 1 recorded · blocks resolved: 0 of 0
      - Parallelism factor: 1.92x (1h 55m of agent time in 1h)
      - Resource efficiency: 95.8% (1h 55m of the 2h of agent time available: 2 worker slots × 1h)
      - Estimate accuracy: actual / estimated = 0.88 · claims 4, retries 1

      ## Results by priority

      | Priority | Completed | Failed | Total |
      |---|---:|---:|---:|
      | CRITICAL | 1 | 0 | 1 |
      | HIGH | 1 | 0 | 1 |
      | LOW | 1 | 0 | 1 |

      ## Agents

      | Agent | Completed | Failed | Claims | Busy | Utilisation |
      |---|---:|---:|---:|---:|---:|
      | agent-001 | 1 | 0 | 1 | 1h | 100% |
      | agent-002 | 2 | 0 | 3 | 55m | 91.7% |

      ## Durations against estimates

      | Ticket | Estimate | Actual | vs estimate |
      |---|---:|---:|---:|
      | A | 1h | 1h | 100% |
      | B | 30m | 10m | 33% |
      | C | 30m | 35m | 117% |

      ## Next step

      - done
      "
    `);
  });

  it('a session still running reports against now', () => {
    const { state, events, now } = midFlight();
    const r = completionReport(state, events, now);
    expect(r.wallMinutes).toBe(85);
    expect(r.tickets).toEqual({ total: 7, completed: 2, failed: 1, blocked: 0, running: 1, pending: 3, percentage: 28 });
    expect(r.byPriority).toEqual([
      { priority: 'critical', total: 1, completed: 1, failed: 0 },
      { priority: 'high', total: 1, completed: 1, failed: 0 },
      { priority: 'medium', total: 2, completed: 0, failed: 0 },
      { priority: 'low', total: 3, completed: 0, failed: 1 },
    ]);
  });
});

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

describe('consolidate', () => {
  it('merges summaries and evidence by dependency group', () => {
    const { state } = midFlight();
    const r = consolidate(state);
    expect(r.groups.map((g) => [g.group, g.tickets.map((t) => t.id)])).toEqual([
      [1, ['MOD-001', 'MOD-002', 'DOC-001']],
      [2, ['MOD-003', 'MOD-004', 'DOC-002']],
      [3, ['MOD-005']],
    ]);
    expect(r.files).toEqual(['src/ast.ts', 'src/tokenizer.ts', 'test/tokenizer.test.ts']);
    expect(r.unverified).toEqual(['MOD-002']);
    expect(renderConsolidatedMarkdown(r)).toMatchInlineSnapshot(`
      "# Consolidated results: Parser rewrite

      Session \`exec-1\` · status **coordinating** · 2/7 tickets completed (28%) · 1 failed

      ## Group 1

      ### MOD-001: Extract tokenizer

      Status **completed** by agent-001 · priority critical

      Tokenizer moved to src/tokenizer.ts with its tests.

      - Commits: \`a1b2c3d4e5f6\`
      - Files: \`src/tokenizer.ts\`, \`test/tokenizer.test.ts\`
      - Tests: \`npm test -- tokenizer\` → exit 0
      - Verified: yes

      ### MOD-002: AST types

      Status **completed** by agent-002 · priority high

      AST node types.

      - Commits: \`b2c3d4e5f607\`
      - Files: \`src/ast.ts\`
      - Verified: no

      ### DOC-001: Docs skeleton

      Status **failed** by agent-002 · priority low

      > Failure: docs build broken

      ## Group 2

      ### MOD-003: Parser core

      Status **in_progress** by agent-001 · priority medium

      ### MOD-004: AST printer

      Status **pending** · priority medium

      ### DOC-002: Docs pages

      Status **pending** · priority low

      ## Group 3

      ### MOD-005: Integration

      Status **pending** · priority low

      ## Totals

      - Commits: \`a1b2c3d4e5f6\`, \`b2c3d4e5f607\`
      - Files changed: \`src/ast.ts\`, \`src/tokenizer.ts\`, \`test/tokenizer.test.ts\`
      - Completed without verified evidence: MOD-002
      - Not completed: DOC-001, MOD-003, MOD-004, MOD-005, DOC-002
      "
    `);
  });
});

describe('report of a running session', () => {
  it('says elapsed so far instead of comparing with the estimate', () => {
    const { state, events, now } = midFlight();
    const r = completionReport(state, events, now);
    expect(r.final).toBe(false);
    expect(r.vsEstimatePercent).toBeNull();
    expect(renderReportMarkdown(r)).toContain('- Elapsed so far: 1h 25m (estimate ');
  });
});
