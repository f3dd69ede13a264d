import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, planText, run, runJson, sessionFile, tempDir } from './helpers.ts';

let dir: string;
beforeEach(() => {
  dir = tempDir('orch-unblock-');
});
afterEach(() => cleanup(dir));

describe('unblock --blocker', () => {
  it('resolves an escalated blocker with no ticket (deadlock) and one on a failed ticket; the session can resume', async () => {
    writeFileSync(path.join(dir, 'p.yaml'), planText('d', 2, [{ id: 'A' }, { id: 'B', deps: ['A'] }]));
    await runJson(dir, ['init', 'p.yaml', '--id', 'd']);
    await runJson(dir, ['activate']);
    await runJson(dir, ['claim', '--agent', 'a']);
    await runJson(dir, ['fail', '--ticket', 'A', '--agent', 'a', '--reason', 'broken']);
    await runJson(dir, ['blockers', '--escalate']); // B1 deadlock (no ticket), B2 failed dependency of B
    // --ticket cannot reach either: B is pending, and the deadlock has no ticket
    expect((await run(dir, ['unblock', '--ticket', 'B'])).stderr).toContain('is `pending`, not blocked');
    const r = await runJson(dir, ['unblock', '--blocker', 'B1', '--resolution', 'retrying A']);
    expect(r.blocker).toMatchObject({ id: 'B1', kind: 'deadlock', ticket: null, resolution: 'retrying A' });
    expect(r.blocker.resolved_at).not.toBeNull();
    expect((await run(dir, ['unblock', '--blocker', 'B2'])).stdout).toBe('B2: resolved (ticket B)\n');
    expect((await runJson(dir, ['status'])).blockers).toEqual([]);
    await runJson(dir, ['resume']);
    expect((await runJson(dir, ['status'])).status).toBe('coordinating');
  });

  it('a blocked ticket returns to pending when its blocker is resolved by id', async () => {
    writeFileSync(path.join(dir, 'p.yaml'), planText('b', 2, [{ id: 'A' }]));
    await runJson(dir, ['init', 'p.yaml', '--id', 'b']);
    await runJson(dir, ['activate']);
    const id = (await runJson(dir, ['block', '--ticket', 'A', '--reason', 'needs a key'])).blocker.id;
    expect((await runJson(dir, ['status'])).tickets[0].status).toBe('blocked');
    await runJson(dir, ['unblock', '--blocker', id]);
    expect((await runJson(dir, ['status'])).tickets[0].status).toBe('pending');
  });

  it('refuses an unknown or resolved blocker, and both flags at once, leaving the state file as it was', async () => {
    writeFileSync(path.join(dir, 'p.yaml'), planText('x', 1, [{ id: 'A' }]));
    await runJson(dir, ['init', 'p.yaml', '--id', 'x']);
    const id = (await runJson(dir, ['block', '--ticket', 'A', '--reason', 'r'])).blocker.id;
    await runJson(dir, ['unblock', '--blocker', id]);
    const before = readFileSync(sessionFile(dir, 'x'));
    const unknown = await run(dir, ['unblock', '--blocker', 'B9']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No blocker `B9` in session `x`; open blockers: none');
    const again = await run(dir, ['unblock', '--blocker', id]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`Blocker \`${id}\` was resolved at`);
    expect((await run(dir, ['unblock', '--blocker', id, '--ticket', 'A'])).stderr).toContain('Pass --ticket or --blocker, not both');
    expect(readFileSync(sessionFile(dir, 'x')).equals(before)).toBe(true);
  });
});
