import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parallelismOf } from '../../src/runtime/parallelism-limit.ts';
import { cleanup, planText, run, runJson, tempDir } from './helpers.ts';

let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => cleanup(dir));

const session = (id: string) => path.join(dir, '.orchestration/sessions', `${id}.yaml`);

/**
 * One 4-hour ticket and four of 30 minutes, 4 agents: every agent finishes in 4 h, and so do 2 (the long
 * ticket on one, the short ones one after another on the other); 1 agent takes 6 h. Balanced keeps 2.
 */
function writePlan(strategy: string, agents = 4): void {
  const tickets = [{ id: 'L', estimate: 240 }, ...['S1', 'S2', 'S3', 'S4'].map((id) => ({ id, estimate: 30 }))];
  writeFileSync(path.join(dir, 'p.yaml'), planText('par', agents, tickets, strategy));
}

async function start(strategy: string): Promise<void> {
  writePlan(strategy);
  await runJson(dir, ['init', 'p.yaml', '--id', 's']);
  await runJson(dir, ['activate']);
}

async function claimAll(agents: string[]): Promise<any[]> {
  const out: any[] = [];
  for (const a of agents) out.push(await runJson(dir, ['claim', '--agent', a]));
  return out;
}

describe('balanced strategy: claims capped at the scheduler agent count', () => {
  it('refuses the third concurrent claim with code `limit`, naming the limit and its source', async () => {
    await start('balanced');
    expect((await runJson(dir, ['schedule', '--plan', 'p.yaml'])).agentsUsed).toBe(2);
    const [a, b, c] = await claimAll(['a', 'b', 'c']);
    expect([a.ticket?.id, b.ticket?.id]).toEqual(['L', 'S1']);
    expect(c).toMatchObject({ ticket: null, code: 'limit' });
    expect(c.reason).toBe('parallelism limit reached: 2 running, limit 2 (strategy balanced: 2 of 4 agents, the fewest whose estimated makespan stays within 10% of using all 4; computed at activate/adjust)');
    const st = await runJson(dir, ['status']);
    expect(st).toMatchObject({ agents: 4, strategy: 'balanced', parallelism: 2 });
    expect((await runJson(dir, ['resources'])).limit).toBe(2);
    // schedule of the session shows the stored claim limit beside its plan
    const sched = await run(dir, ['schedule']);
    expect(sched.stdout).toContain('claim limit: 2 running at once (strategy balanced: 2 of 4 agents');
    // one finishes: the slot is free again
    await runJson(dir, ['complete', '--ticket', 'S1', '--agent', 'b', '--summary', 'ok']);
    expect((await runJson(dir, ['claim', '--agent', 'c'])).ticket.id).toBe('S2');
  });

  it('maximum on the same plan is not capped below the agents', async () => {
    await start('maximum');
    const r = await claimAll(['a', 'b', 'c', 'd', 'e']);
    expect(r.slice(0, 4).map((x) => x.ticket?.id)).toEqual(['L', 'S1', 'S2', 'S3']);
    expect(r[4]).toMatchObject({ ticket: null, code: 'limit' });
    expect(r[4].reason).toBe('parallelism limit reached: 4 running, limit 4 (strategy maximum: every one of the 4 agents)');
  });

  it('adjust recomputes the count for the remaining tickets and logs it', async () => {
    await start('balanced');
    expect(await runJson(dir, ['adjust', '--agents', '1'])).toMatchObject({ agents: 1, parallelism: 1 });
    const [a, b] = await claimAll(['a', 'b']);
    expect(a.ticket.id).toBe('L');
    expect(b).toMatchObject({ ticket: null, code: 'limit' });
    expect(b.reason).toContain('limit 1 (strategy balanced: the only agent');
    expect(await runJson(dir, ['adjust', '--agents', '8'])).toMatchObject({ agents: 8, parallelism: 2 });
    expect((await runJson(dir, ['claim', '--agent', 'b'])).ticket.id).toBe('S1');
    expect((await runJson(dir, ['claim', '--agent', 'c'])).code).toBe('limit');
    // L done: four 30-minute tickets left, and every one of 8 agents is now worth it up to 4
    await runJson(dir, ['complete', '--ticket', 'L', '--agent', 'a', '--summary', 'ok']);
    expect((await runJson(dir, ['adjust', '--agents', '8'])).parallelism).toBe(4);
    const events = (await runJson(dir, ['events', '--tail', '0'])).events.filter((e: any) => e.verb === 'adjust' || e.verb === 'parallelism');
    expect(events.map((e: any) => [e.verb, e.data.agents, e.data.parallelism ?? null, e.data.by ?? null])).toEqual([
      ['adjust', 1, null, null],
      ['parallelism', 1, 1, 'adjust'],
      ['adjust', 8, null, null],
      ['parallelism', 8, 2, 'adjust'],
      ['parallelism', 8, 4, 'adjust'],
    ]);
    // nothing changed: nothing written
    const before = readFileSync(session('s'));
    await runJson(dir, ['adjust', '--agents', '8']);
    expect(readFileSync(session('s')).equals(before)).toBe(true);
  });

  it('an older state file without `parallelism` still loads; the limit falls back to agents until adjust', async () => {
    await start('balanced');
    const text = readFileSync(session('s'), 'utf8');
    expect(text).toContain('parallelism: 2\n');
    writeFileSync(session('s'), text.replace('parallelism: 2\n', ''));
    rmSync(path.join(dir, '.orchestration/cache'), { recursive: true, force: true });
    const st = await runJson(dir, ['status']);
    expect(st.parallelism).toBe(4);
    expect(st.parallelism_source).toContain('no balanced count recorded; `adjust --agents 4` computes it');
    expect((await claimAll(['a', 'b', 'c'])).map((r) => r.ticket?.id)).toEqual(['L', 'S1', 'S2']);
    expect((await runJson(dir, ['adjust', '--agents', '4'])).parallelism).toBe(2);
    expect((await runJson(dir, ['claim', '--agent', 'd'])).code).toBe('limit');
  });

  it('refuses a hand-edited `parallelism` that is not a positive integer, with its position', async () => {
    await start('balanced');
    const bad = readFileSync(session('s'), 'utf8').replace('parallelism: 2\n', 'parallelism: 0\n');
    writeFileSync(session('s'), bad);
    const r = await run(dir, ['claim', '--agent', 'a']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/s\.yaml:\d+:14: error `parallelism` must be an integer >= 1/);
    expect(readFileSync(session('s'), 'utf8')).toBe(bad);
  });
});

describe('parallelismOf', () => {
  const base = { agents: 4, strategy: 'balanced' as const };
  it('caps the stored count at agents, and reads 1 for sequential whatever is stored', () => {
    expect(parallelismOf({ ...base, parallelism: 3 }).limit).toBe(3);
    expect(parallelismOf({ ...base, agents: 2, parallelism: 3 }).limit).toBe(2);
    expect(parallelismOf({ ...base, parallelism: undefined }).limit).toBe(4);
    expect(parallelismOf({ agents: 4, strategy: 'sequential', parallelism: 4 }).limit).toBe(1);
    expect(parallelismOf({ agents: 4, strategy: 'maximum', parallelism: 2 }).limit).toBe(4);
  });
});
