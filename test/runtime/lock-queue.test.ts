import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/orchestrate.ts';
import { readEvents } from '../../src/runtime/store/event-log.ts';
import { BUNDLE, cleanup, planText, runBundle, runBundleAsync, tempDir } from './helpers.ts';

/**
 * The lock's line of waiters, with real processes (`node dist/orchestrate.mjs`): arrival order, a killed
 * waiter, the wait notice, and `claim --wait`.
 */

let dir: string;
const children: ReturnType<typeof spawn>[] = [];
beforeEach(() => {
  dir = tempDir('orch-queue-');
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  cleanup(dir);
});

const sessions = () => path.join(dir, '.orchestration/sessions');
const queue = () => path.join(sessions(), 's.lock.queue');
const places = () => (existsSync(queue()) ? readdirSync(queue()) : []);

function init(n: number, agents = n): void {
  writeFileSync(path.join(dir, 'plan.yaml'), planText('q', agents, Array.from({ length: n }, (_, i) => ({ id: `T${i}`, files: [`f${i}`] }))));
  expect(runBundle(dir, ['init', 'plan.yaml', '--id', 's']).code).toBe(0);
  expect(runBundle(dir, ['activate']).code).toBe(0);
}

/** Starts a helper process; resolves with its exit code and output. */
function start(argv: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BUNDLE, ...argv], { cwd: dir, env: { ...process.env, ...env } });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
  const paused = new Promise<void>((resolve) => child.stderr.on('data', () => stderr.includes('PAUSE') && resolve()));
  return { child, done, paused };
}

async function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The agents of the claim events, in log order. */
const claimOrder = () => readEvents(path.join(dir, '.orchestration/logs/s.jsonl')).events.filter((e) => e.verb === 'claim').map((e) => e.agent);

describe('waiting for the lock', () => {
  it('serves waiters in arrival order, and removes the place of a waiter killed in line', async () => {
    init(8);
    // the holder keeps the lock; six waiters arrive one after another while it does
    const holder = start(['claim', '--agent', 'holder'], { ORCHESTRATE_TEST_PAUSE: 'locked:60000' });
    await holder.paused;
    const waiters = [];
    for (let i = 0; i < 6; i++) {
      waiters.push(start(['claim', '--agent', `w${i}`, '--json']));
      await until(() => places().length === i + 1);
    }
    // w2 dies in line (its place stays behind): the others must not wait for it
    waiters[2]!.child.kill('SIGKILL');
    await waiters[2]!.done;
    // the holder dies too: its lock is taken over at once (dead owner), by the first in line
    holder.child.kill('SIGKILL');
    await holder.done;
    const results = await Promise.all(waiters.map((w) => w.done));
    for (const i of [0, 1, 3, 4, 5]) expect(results[i]!.code, results[i]!.stderr).toBe(0);
    expect(claimOrder()).toEqual(['w0', 'w1', 'w3', 'w4', 'w5']);
    expect(existsSync(queue())).toBe(false); // the dead waiter's place was removed; the empty line is gone
    expect(readdirSync(sessions())).toEqual(['s.yaml']);
  }, 60_000);

  it('says once that it waits, after 2 s, only on a terminal', async () => {
    init(3);
    const holder = start(['claim', '--agent', 'holder'], { ORCHESTRATE_TEST_PAUSE: 'locked:3500' });
    await holder.paused;
    const tty = { text: '', isTTY: true, write(s: string) { this.text += s; } };
    const pipe = { text: '', isTTY: false, write(s: string) { this.text += s; } };
    const out = { text: '', write(s: string) { this.text += s; } };
    const [a, b] = await Promise.all([
      main({ argv: ['claim', '--agent', 'tty'], cwd: dir, stdout: out, stderr: tty, env: {} }),
      runBundleAsync(dir, ['claim', '--agent', 'pipe']),
    ]);
    expect(a).toBe(0);
    expect(b.code).toBe(0);
    expect(tty.text.trim().split('\n')).toHaveLength(1);
    expect(tty.text).toMatch(/^waiting for the state lock \((next in line|\d+ ahead in line)(, held by pid \d+)?\)…\n$/);
    expect(b.stderr).toBe('');
    expect(pipe.text).toBe('');
    await holder.done;
  }, 60_000);
});

describe('claim --wait', () => {
  it('returns as soon as a ticket becomes ready, without taking the lock while it waits', async () => {
    writeFileSync(path.join(dir, 'plan.yaml'), planText('w', 2, [{ id: 'A' }, { id: 'B', deps: ['A'] }]));
    expect(runBundle(dir, ['init', 'plan.yaml', '--id', 's']).code).toBe(0);
    expect(runBundle(dir, ['activate']).code).toBe(0);
    expect(JSON.parse(runBundle(dir, ['claim', '--agent', 'a', '--json']).stdout).ticket.id).toBe('A');
    // nothing ready: without --wait the answer is immediate
    expect(JSON.parse(runBundle(dir, ['claim', '--agent', 'b', '--json']).stdout).code).toBe('dependencies');
    const waiter = start(['claim', '--agent', 'b', '--wait', '30', '--json']);
    await new Promise((r) => setTimeout(r, 1500));
    expect(waiter.child.exitCode).toBeNull(); // still waiting …
    expect(existsSync(path.join(sessions(), 's.lock'))).toBe(false); // … and not holding the lock
    expect(places()).toEqual([]); // nor in line for it
    const t0 = Date.now();
    expect(runBundle(dir, ['complete', '--ticket', 'A', '--agent', 'a', '--summary', 'ok']).code).toBe(0);
    const r = await waiter.done;
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).ticket.id).toBe('B');
    expect(Date.now() - t0).toBeLessThan(10_000);
  }, 60_000);

  it('gives up when the time is up, answering like a plain claim', async () => {
    writeFileSync(path.join(dir, 'plan.yaml'), planText('w', 2, [{ id: 'A' }, { id: 'B', deps: ['A'] }]));
    expect(runBundle(dir, ['init', 'plan.yaml', '--id', 's']).code).toBe(0);
    expect(runBundle(dir, ['activate']).code).toBe(0);
    runBundle(dir, ['claim', '--agent', 'a']);
    const t0 = Date.now();
    const r = runBundle(dir, ['claim', '--agent', 'b', '--wait', '1', '--json']);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(JSON.parse(r.stdout)).toMatchObject({ ticket: null, code: 'dependencies' });
    expect(runBundle(dir, ['claim', '--agent', 'b', '--wait', 'x']).stderr).toContain('Invalid --wait `x`');
  }, 30_000);
});
