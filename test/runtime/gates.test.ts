import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, planText, run, runJson, tempDir } from './helpers.ts';

/** Gates, the pause on file conflicts and the report's next step, through the helper's `main`. */

let dir: string;
beforeEach(() => {
  dir = tempDir('orch-gates-');
});
afterEach(() => cleanup(dir));

async function start(id: string, flags: string[], tickets: Parameters<typeof planText>[2]): Promise<void> {
  writeFileSync(path.join(dir, `${id}.yaml`), planText(`Plan ${id}`, 3, tickets));
  await runJson(dir, ['init', `${id}.yaml`, '--id', id, ...flags]);
  await runJson(dir, ['activate', '--id', id]);
}

const report = async (id: string) => runJson(dir, ['report', '--id', id, '--format', 'json']);

describe('gates and the report', () => {
  it('records stream and system gates, which survive resume and steer the next step', async () => {
    await start('g', ['--validation', 'strict'], [{ id: 'A' }, { id: 'B', deps: ['A'] }]);
    const refused = await run(dir, ['gate', '--id', 'g', '--level', 'stream', '--group', '3', '--verdict', 'pass']);
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringContaining('with N from 1 to 2')]);
    await runJson(dir, ['gate', '--id', 'g', '--level', 'stream', '--group', '1', '--verdict', 'pass', '--agent', 'code-reviewer']);
    await runJson(dir, ['pause', '--id', 'g']);
    await runJson(dir, ['resume', '--id', 'g']);
    const r1 = await report('g');
    expect(r1.history.gates).toEqual([{ level: 'stream', group: 1, reviewer: 'code-reviewer', verdict: 'pass', notes: null, at: expect.any(String) }]);
    expect(r1.history.next).toBe('continue the run with `next`');
    // finish both tickets (no git here: strict validation needs a repository, so the session is standard)
    await runJson(dir, ['stop', '--id', 'g']);
    await start('s', [], [{ id: 'A' }]);
    const n = await runJson(dir, ['next', '--id', 's']);
    await runJson(dir, ['complete', '--id', 's', '--agent', n.actions[0].worker, '--ticket', 'A', '--summary', 'done']);
    const done = await report('s');
    expect(done.history.withoutEvidence).toEqual(['A']);
    expect(done.history.next).toBe('done');
    await runJson(dir, ['gate', '--id', 's', '--level', 'system', '--verdict', 'fail', '--notes', 'integration test red']);
    expect((await report('s')).history.next).toContain('fix what the system gate found (integration test red)');
    const md = (await run(dir, ['report', '--id', 's'])).stdout;
    expect(md).toContain('## Gates\n\n- system: fail — integration test red');
    expect(md).toContain('## Completed without evidence\n\n- A (no commit, no test result: standard validation)');
  });

  it('recommends retrying failed tickets with the exact command', async () => {
    await start('f', ['--max-attempts', '1'], [{ id: 'A' }]);
    const n = await runJson(dir, ['next', '--id', 'f']);
    await runJson(dir, ['fail', '--id', 'f', '--agent', n.actions[0].worker, '--ticket', 'A', '--reason', 'broken build']);
    const end = await runJson(dir, ['next', '--id', 'f']);
    expect(end.actions).toEqual([{ do: 'report', status: 'failed' }]);
    expect((await report('f')).history.next).toBe('retry the failed tickets: `retry A --attempts 1`, then continue with `next`');
  });

  it('--pause-on-conflicts: next pauses the session when a ready ticket waits for a file; blockers names it file-wait', async () => {
    await start('p', ['--pause-on-conflicts'], [{ id: 'A', files: ['x.ts'] }, { id: 'B', files: ['x.ts'] }]);
    const b = await runJson(dir, ['blockers', '--id', 'p']);
    expect(b.findings).toEqual([]);
    const n = await runJson(dir, ['next', '--id', 'p']);
    expect(n.actions.map((a: { do: string }) => a.do)).toEqual(['spawn', 'wait', 'stopped']);
    expect(n.actions[2]).toEqual({ do: 'stopped', status: 'paused', reason: expect.stringContaining('file conflict') });
    const after = await runJson(dir, ['blockers', '--id', 'p']);
    expect(after.findings.map((f: { kind: string; ticket: string }) => [f.kind, f.ticket])).toEqual([['file-wait', 'B']]);
    expect(after.summary).toBe('no blockers; 1 ticket(s) waiting for a file (file-wait)');
    // without the flag the same plan just waits
    await start('q', [], [{ id: 'A', files: ['x.ts'] }, { id: 'B', files: ['x.ts'] }]);
    expect((await runJson(dir, ['next', '--id', 'q'])).actions.map((a: { do: string }) => a.do)).toEqual(['spawn', 'wait']);
  });

  it('counts file conflicts apart from other blocks', async () => {
    await start('c', [], [{ id: 'A' }, { id: 'B' }]);
    await runJson(dir, ['block', '--id', 'c', '--ticket', 'A', '--reason', 'waiting on a decision']);
    const r = await report('c');
    expect(r.conflicts).toEqual({ recorded: 0, resolved: 0 });
    expect(r.blocks).toEqual({ recorded: 1, resolved: 0 });
    expect(r.history.next).toBe('resolve the blocks on A, then `unblock --ticket T`');
  });
});
