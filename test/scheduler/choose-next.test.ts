import { describe, expect, it } from 'vitest';
import { chooseNext, computeBottomLevels, type ClaimStatus } from '../../src/runtime/scheduler/choose-next.ts';
import { t } from './helpers.ts';

const S = (completed: string[] = [], running: string[] = [], unavailable: string[] = [], extra: Partial<ClaimStatus> = {}): ClaimStatus => ({
  completed: new Set(completed),
  running: new Set(running),
  unavailable: new Set(unavailable),
  ...extra,
});

describe('chooseNext', () => {
  it('offers the ready ticket with the longest remaining path, then priority, then id', () => {
    const tickets = [t('X', 10, [], { priority: 'critical' }), t('Y', 10, [], { priority: 'low' }), t('Z', 100, ['Y'])];
    const c = chooseNext(tickets, S());
    expect(c.ticket?.id).toBe('Y');
    expect(c.code).toBe('ok');
    expect(c.bottomLevel).toBe(110);
    expect(chooseNext([t('b', 5, [], { priority: 'low' }), t('c', 5, [], { priority: 'high' }), t('a', 5, [], { priority: 'high' })], S()).ticket?.id).toBe('a');
  });

  it('has no barrier between groups: a level-2 ticket whose own dependency is done is offered', () => {
    // Group 1: A (done), B (running, long). Group 2: C depends on A only.
    const tickets = [t('A', 10), t('B', 200), t('C', 30, ['A']), t('D', 30, ['B'])];
    expect(chooseNext(tickets, S(['A'], ['B'])).ticket?.id).toBe('C');
  });

  it('never offers a ticket whose file a running ticket touches, and says why', () => {
    const tickets = [t('A', 50, [], { files: ['src/x.ts'] }), t('B', 40, [], { files: ['src/y.ts', 'src/x.ts'] }), t('C', 5, [], { files: ['src/z.ts'] })];
    expect(chooseNext(tickets, S([], ['A'])).ticket?.id).toBe('C');
    const c = chooseNext(tickets, S(['C'], ['A']));
    expect(c.ticket).toBeNull();
    expect(c.code).toBe('files');
    expect(c.reason).toBe('file conflict with running A (src/x.ts) for B');
    expect(c.conflicts).toEqual([{ ticket: 'B', runningTicket: 'A', file: 'src/x.ts' }]);
  });

  it('waiting on dependencies names them with their state', () => {
    const tickets = [t('A', 10), t('B', 10), t('C', 10, ['A', 'B'])];
    const c = chooseNext(tickets, S(['A'], ['B']));
    expect(c).toMatchObject({ ticket: null, code: 'dependencies', reason: 'waiting on dependencies: B (running) (for C)', waitingOn: ['B'] });
  });

  it('a failed dependency with nothing running is reported as unavailable (a deadlock to escalate)', () => {
    const tickets = [t('A', 10), t('B', 10, ['A'])];
    const c = chooseNext(tickets, S([], [], ['A']));
    expect(c.code).toBe('unavailable');
    expect(c.reason).toBe('waiting on dependencies: A (failed or blocked) (for B)');
  });

  it('reports done, running-only, paused and stopped', () => {
    const tickets = [t('A', 10), t('B', 10)];
    expect(chooseNext(tickets, S(['A', 'B']))).toMatchObject({ ticket: null, code: 'done', reason: 'all tickets done' });
    expect(chooseNext(tickets, S(['A'], ['B']))).toMatchObject({ code: 'running', reason: 'no pending tickets; waiting for running B' });
    expect(chooseNext(tickets, S([], [], [], { paused: true }))).toMatchObject({ ticket: null, code: 'paused', reason: 'session paused' });
    expect(chooseNext(tickets, S([], [], [], { stopped: true }))).toMatchObject({ code: 'stopped', reason: 'session stopped' });
    expect(chooseNext(tickets, S(['A'], [], ['B']))).toMatchObject({ code: 'unavailable', reason: 'no claimable tickets left; failed or blocked: B' });
  });

  it('accept filters tickets for the calling agent', () => {
    const tickets = [t('A', 50), t('B', 10)];
    expect(chooseNext(tickets, S(), { accept: (x) => x.id === 'B' }).ticket?.id).toBe('B');
    expect(chooseNext(tickets, S(), { accept: () => false })).toMatchObject({ code: 'rejected', reason: '2 ready ticket(s), none accepted for this agent' });
  });

  it('cached bottom levels give the same choices on 10,000 tickets', () => {
    const tickets = Array.from({ length: 10_000 }, (_, i) => t(`T${i}`, 1 + (i % 17), i > 0 && i % 3 !== 0 ? [`T${i - 1 - (i % 7 === 0 ? 1 : 0)}`] : [], { files: [`f${i % 50}`] }));
    const bottomLevels = computeBottomLevels(tickets);
    const completed = new Set(tickets.slice(0, 5000).map((x) => x.id));
    const running = new Set(['T5000', 'T5001']);
    const a = chooseNext(tickets, { completed, running });
    const b = chooseNext(tickets, { completed, running }, { bottomLevels });
    expect(a.ticket?.id).toBeDefined();
    expect(b.ticket?.id).toBe(a.ticket?.id);
    // The chosen ticket is ready and clashes with no running file.
    const chosen = b.ticket!;
    expect(chosen.dependencies.every((d) => completed.has(d))).toBe(true);
    expect(chosen.files.some((f) => f === 'f0' || f === 'f1')).toBe(false);
  });
});

describe('claimPriorities', () => {
  it('without shared files equals the bottom levels; with them follows the rule schedule picks', async () => {
    const { claimPriorities } = await import('../../src/runtime/scheduler/choose-next.ts');
    const { schedule } = await import('../../src/runtime/scheduler/schedule.ts');
    const plain = [t('A', 10), t('B', 20, ['A']), t('C', 5)];
    expect(claimPriorities(plain, 2)).toEqual(computeBottomLevels(plain));
    expect(schedule(plain, { agents: 2, strategy: 'maximum' }).priorityRule).toBe('bottom-level');
    // A, B: 60 minutes each; F1-F3: 40 minutes each on file f. Longest path first starts A and B, then
    // the three F tickets run one by one: 180. Starting the contended file first gives 120 (= work / 2).
    const contended = [t('A', 60), t('B', 60), t('F1', 40, [], { files: ['f'] }), t('F2', 40, [], { files: ['f'] }), t('F3', 40, [], { files: ['f'] })];
    const r = schedule(contended, { agents: 2, strategy: 'maximum' });
    expect(r.priorityRule).toBe('bottom-level + 0.25 x file load');
    expect(r.makespan).toBe(120);
    expect(r.lowerBound).toBe(120);
    expect(chooseNext(contended, S()).ticket!.id).toBe('A');
    expect(chooseNext(contended, S(), { priorityKeys: claimPriorities(contended, 2) }).ticket!.id).toBe('F1');
  });
});
