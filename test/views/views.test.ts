import { describe, expect, it } from 'vitest';
import { formatStatus } from '../../src/runtime/views/status.ts';
import { statusJson } from '../../src/runtime/progress.ts';
import { renderDashboard } from '../../src/runtime/views/dashboard.ts';
import { formatEvents } from '../../src/runtime/views/events.ts';
import { sessionEta, agentRows } from '../../src/runtime/views/derive.ts';
import { midFlight } from './fixture.ts';

describe('status', () => {
  it('prints progress, ETA and tickets', () => {
    const { state, events, now } = midFlight();
    expect(formatStatus(state, now, events)).toMatchInlineSnapshot(`
      "exec-1: Parser rewrite [coordinating]
      progress: 28% (2/7 completed, 1 running, 3 pending, 1 failed, 0 blocked)
      eta: 1h 23m (observed pace, pace x1.12)
      parallelism: 3 at once (strategy balanced: all 3 agents (no balanced count recorded; \`adjust --agents 3\` computes it))
        MOD-001  completed    agent-001
        MOD-002  completed    agent-002
        DOC-001  failed       agent-002
        MOD-003  in_progress  agent-001  40%
        MOD-004  pending      -
        MOD-005  pending      -
        DOC-002  pending      -
      "
    `);
  });

  it('status --json carries the contract fields', () => {
    const { state } = midFlight();
    const j = statusJson(state) as { status: string; progress: { percentage: number }; parallelism: number; tickets: Record<string, unknown>[] };
    expect(j.status).toBe('coordinating');
    expect(j.progress.percentage).toBe(28); // floor(2/7 × 100)
    expect(j.parallelism).toBe(3);
    expect(j.tickets[3]).toMatchObject({ id: 'MOD-003', status: 'in_progress', agent: 'agent-001', progress: 40 });
  });
});

describe('ETA and agents', () => {
  it('uses the observed pace: MOD-001 took 60/60, MOD-002 45/30, shrunk by the mean estimate 255/7', () => {
    const { state, events, now } = midFlight();
    const eta = sessionEta(state, now, events);
    const pace = (105 + 255 / 7) / (90 + 255 / 7);
    expect(eta.pace).toBeCloseTo(pace);
    expect(eta.basis).toBe('observed pace');
    // Remaining chain: MOD-003 (90 × pace × 60 % left) → MOD-005 (20 × pace).
    expect(eta.remainingCriticalPath).toBeCloseTo((90 * 0.6 + 20) * pace);
  });

  it('one row per agent: current ticket, progress and time left', () => {
    const { state, events, now } = midFlight();
    expect(agentRows(state, now, 1, events)).toEqual([
      { agent: 'agent-001', ticket: 'MOD-003', status: 'executing', progress: 40, etaMinutes: 54, done: 1, heartbeatAt: '2026-11-21T11:20:00.000Z' },
      { agent: 'agent-002', ticket: 'DOC-001', status: 'failed', progress: null, etaMinutes: null, done: 1, heartbeatAt: null },
    ]);
  });
});

describe('dashboard', () => {
  it('colour TTY: box drawing, colours applied after layout', () => {
    const { state, events, now } = midFlight();
    const text = renderDashboard(state, events, { color: true, width: 80, nowMs: now });
    expect(text).toContain('┌');
    expect(text).toContain('\u001b[');
    // Strip colour codes for a readable snapshot.
    expect(text.replace(/\u001b\[[0-9;]*m/g, '')).toMatchInlineSnapshot(`
      "🎯 PARALLEL EXECUTION DASHBOARD · Parser rewrite (exec-1)
      ═══════════════════════════════════════════════════════════════════
      📅 Started:              2026-11-21 10:00:00 UTC (1h 25m ago)
      📊 Execution Status:     28% complete · coordinating
                               ██████░░░░░░░░░░░░░░
      🎯 Active Groups:        1/3 (group 2 executing)
      🔄 Running Agents:       1/3 (agent-001)
      ⚡ Completion Rate:      2/7 tickets (28%) · 1 failed
      🚨 Active Conflicts:     1 (0 overlapping, 1 waiting for a file)
      📈 ETA:                  1h 23m (observed pace, pace x1.12)

      🤖 Agent Status Matrix:
      ┌───────────┬─────────┬───────────┬──────────┬─────┐
      │ agent     │ ticket  │ status    │ progress │ ETA │
      ├───────────┼─────────┼───────────┼──────────┼─────┤
      │ agent-001 │ MOD-003 │ executing │ 40%      │ 1h  │
      │ agent-002 │ DOC-001 │ failed    │ -        │ -   │
      └───────────┴─────────┴───────────┴──────────┴─────┘

      🚨 File conflicts:
         waiting: MOD-004 is ready but waits for src/ast.ts, held by running MOD-003

      ⚠️  Blockers (1):
         failed-dependency: DOC-002 waits on failed DOC-001; retry or replan it
      "
    `);
  });

  it('NO_COLOR / piped: plain lines, no box drawing, no escape codes, nothing cut', () => {
    const { state, events, now } = midFlight();
    const text = renderDashboard(state, events, { color: false, width: 100, nowMs: now });
    expect(text).not.toMatch(/[┌│└═]|\u001b/);
    expect(text).toMatchInlineSnapshot(`
      "dashboard: Parser rewrite (exec-1) [coordinating]
      started: 2026-11-21 10:00:00 UTC (1h 25m ago)
      progress: 28% (2/7 tickets; 1 running, 3 pending, 1 failed, 0 blocked)
      active groups: 1/3 (group 2 executing)
      running agents: 1/3 (agent-001)
      conflicts: 1 (0 overlapping, 1 waiting for a file)
        info file-wait: MOD-004 is ready but waits for src/ast.ts, held by running MOD-003
      eta: 1h 23m (observed pace, pace x1.12)
      agents:
        agent      ticket   status     progress  ETA
        agent-001  MOD-003  executing  40%       1h
        agent-002  DOC-001  failed     -         -
      blockers: 1
        warning failed-dependency: DOC-002 waits on failed DOC-001; retry or replan it
      "
    `);
    // Plain output is for logs and agents: never cut, whatever the width.
    expect(renderDashboard(state, events, { color: false, width: 40, nowMs: now })).toBe(text);
  });

  // Seeds 002/004: the machine's figures beside the run (fixed here; the CLI measures them with resourcesOf).
  const GiB = 1024 ** 3;
  const machine = {
    cpus: 4,
    loadavg: [3.8, 2, 1],
    memory: { total_bytes: 8 * GiB, free_bytes: 2 * GiB, used_percent: 75 },
    disk: { total_bytes: 100 * GiB, free_bytes: 60 * GiB, used_percent: 40 },
    io: { read_bytes: 1.5 * GiB, written_bytes: 512 * 1024 ** 2 },
  };

  it('colour TTY: CPU, memory and disk as bars tinted by use, disk I/O as text', () => {
    const { state, events, now } = midFlight();
    const text = renderDashboard(state, events, { color: true, width: 100, nowMs: now, resources: machine });
    const plain = text.replace(/\u001b\[[0-9;]*m/g, '');
    expect(plain.slice(plain.indexOf('📈 Resource'), plain.indexOf('⚠️'))).toMatchInlineSnapshot(`
      "📈 Resource Utilization:
         CPU:      ███████████████████░    95%  load 3.8 on 4 cores
         Memory:   ███████████████░░░░░    75%  2 GiB free of 8 GiB
         Disk:     ████████░░░░░░░░░░░░    40%  60 GiB free of 100 GiB
         Disk I/O: 1.5 GiB read, 512 MiB written since boot

      "
    `);
    // 95 % CPU is red, 75 % memory yellow, 40 % disk green (picocolors: 31 red, 33 yellow, 32 green)
    expect(text).toContain(`\u001b[31m${'█'.repeat(19)}░\u001b[39m`);
    expect(text).toContain(`\u001b[33m${'█'.repeat(15)}${'░'.repeat(5)}\u001b[39m`);
    expect(text).toContain(`\u001b[32m${'█'.repeat(8)}${'░'.repeat(12)}\u001b[39m`);
    // without figures there is no resource part
    expect(renderDashboard(state, events, { color: true, width: 100, nowMs: now })).not.toContain('Resource');
  });

  it('plain: the same figures on one line, no bars; unknown disk and I/O say so or are left out', () => {
    const { state, events, now } = midFlight();
    const text = renderDashboard(state, events, { color: false, width: 100, nowMs: now, resources: machine });
    expect(text).not.toMatch(/[█░]|\u001b/);
    expect(text.split('\n').filter((l) => l.startsWith('resources:'))).toEqual([
      'resources: cpu 95% (load 3.8 on 4 cores), memory 75% used (2 GiB free of 8 GiB), disk 40% used (60 GiB free of 100 GiB), disk I/O 1.5 GiB read, 512 MiB written since boot',
    ]);
    const bare = renderDashboard(state, events, { color: false, width: 100, nowMs: now, resources: { ...machine, disk: null, io: null } });
    expect(bare).toContain('resources: cpu 95% (load 3.8 on 4 cores), memory 75% used (2 GiB free of 8 GiB), disk unknown\n');
  });

  it('a narrow colour terminal shrinks the table to fit', () => {
    const { state, events, now } = midFlight();
    const text = renderDashboard(state, events, { color: true, width: 40, nowMs: now }).replace(/\u001b\[[0-9;]*m/g, '');
    const table = text.split('\n').filter((l) => /^[┌│├└]/.test(l));
    expect(table.length).toBeGreaterThan(0);
    for (const l of table) expect(l.length).toBeLessThanOrEqual(40);
  });
});

describe('events', () => {
  it('--tail N prints the last N events aligned, with reasons', () => {
    const { events } = midFlight();
    expect(formatEvents(events, 4)).toMatchInlineSnapshot(`
      "#7   2026-11-21 11:00:00  complete   MOD-001  agent-001  claimed → completed    summary: Tokenizer moved to src/tokenizer.ts with its tests.
      #8   2026-11-21 11:00:00  claim      MOD-003  agent-001  pending → claimed
      #9   2026-11-21 11:05:00  fail       DOC-001  agent-002  claimed → failed       reason: docs build broken
      #10  2026-11-21 11:20:00  heartbeat  MOD-003  agent-001  claimed → in_progress  {"progress":40}
      "
    `);
    expect(formatEvents([], 4)).toBe('no events\n');
    expect(formatEvents(events, 0).trimEnd().split('\n')).toHaveLength(events.length);
  });
});

describe('edge sessions', () => {
  it('a planned session with no claims renders in both modes', async () => {
    const { session, ticket, ms } = await import('./fixture.ts');
    const state = session([ticket('A', { estimate_minutes: 30 }), ticket('B', { estimate_minutes: 30, dependencies: ['A'] })], { status: 'planned', started_at: null });
    expect(renderDashboard(state, [], { color: false, width: 80, nowMs: ms('10:00') })).toMatchInlineSnapshot(`
      "dashboard: Parser rewrite (exec-1) [planned]
      started: not yet (planned)
      progress: 0% (0/2 tickets; 0 running, 2 pending, 0 failed, 0 blocked)
      active groups: 0/2
      running agents: 0/3
      conflicts: 0
      eta: 1h (estimates, pace x1)
      agents:
        (no agent has claimed a ticket yet)
      blockers: none
      "
    `);
    expect(renderDashboard(state, [], { color: true, width: 80, nowMs: ms('10:00') })).toContain('(no agent has claimed a ticket yet)');
    expect(formatStatus(state, ms('10:00'))).toContain('eta: 1h (estimates, pace x1)');
  });
});

describe('truncateVisible', () => {
  it('counts emoji as two columns, ignores colour codes, keeps lines that fit', async () => {
    const { truncateVisible } = await import('../../src/runtime/views/format.ts');
    expect(truncateVisible('abcdef', 6)).toBe('abcdef');
    expect(truncateVisible('abcdefgh', 6)).toBe('abcde…\u001b[0m');
    expect(truncateVisible('\u001b[1mabc\u001b[22m', 3)).toBe('\u001b[1mabc\u001b[22m');
    expect(truncateVisible('🎯 abcdef', 6)).toBe('🎯 ab…\u001b[0m');
  });

  it('a long title on a narrow colour terminal stays within the width', () => {
    const { state, events, now } = midFlight();
    state.title = 'A very long session title that would not fit in forty columns';
    const text = renderDashboard(state, events, { color: true, width: 40, nowMs: now });
    const visible = (l: string): number => [...l.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '')].reduce((n, ch) => n + (ch.codePointAt(0)! >= 0x1f300 || /[\u2600-\u27bf]/.test(ch) ? 2 : ch === '\ufe0f' ? 0 : 1), 0);
    for (const l of text.split('\n')) expect(visible(l)).toBeLessThanOrEqual(40);
  });
});
