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

describe('git context', () => {
  it('activate records branch and base; resume says when the branch changed or history was rewound', async () => {
    const { git } = await import('./helpers.ts');
    git(dir, 'init', '-q', '-b', 'main');
    writeFileSync(path.join(dir, '.gitignore'), '.orchestration/\n*.yaml\n');
    git(dir, 'add', '.gitignore');
    git(dir, 'commit', '-q', '-m', 'one');
    const base = git(dir, 'rev-parse', 'HEAD');
    writeFileSync(path.join(dir, 'f'), 'x');
    git(dir, 'add', 'f');
    git(dir, 'commit', '-q', '-m', 'two');
    const two = git(dir, 'rev-parse', 'HEAD');
    await start('g', [], [{ id: 'A' }, { id: 'B' }]);
    expect((await runJson(dir, ['status', '--id', 'g'])).id).toBe('g');
    const { parse } = await import('yaml');
    const { readFileSync } = await import('node:fs');
    const stateOf = () => parse(readFileSync(path.join(dir, '.orchestration/sessions/g.yaml'), 'utf8'));
    expect(stateOf().git).toEqual({ branch: 'main', base: two, head: two });
    await runJson(dir, ['claim', '--id', 'g', '--agent', 'w1']);
    // fast-forward on the same branch: nothing to report, the new HEAD is recorded
    writeFileSync(path.join(dir, 'f'), 'y');
    git(dir, 'commit', '-q', '-am', 'three');
    const three = git(dir, 'rev-parse', 'HEAD');
    expect((await runJson(dir, ['resume', '--id', 'g'])).git).toEqual([]);
    expect(stateOf().git.head).toBe(three);
    git(dir, 'checkout', '-q', '-b', 'other');
    const moved = await runJson(dir, ['resume', '--id', 'g']);
    expect(moved.git).toEqual(['branch changed: main → other; running tickets (A) may have committed to the old one; check their commits before they complete']);
    git(dir, 'reset', '-q', '--hard', base);
    const rewound = (await run(dir, ['resume', '--id', 'g'])).stdout;
    expect(rewound).toContain(`git: HEAD ${base.slice(0, 12)} does not descend from ${three.slice(0, 12)}`);
    const events = (await runJson(dir, ['events', '--id', 'g'])).events.filter((e: { verb: string }) => e.verb === 'git');
    expect(events.map((e: { after: string }) => e.after)).toEqual([three, three, base]);
  });
});

describe('cross-session dependencies', () => {
  const planWith = (title: string, tickets: string) => `title: ${title}\nagents: 2\nstrategy: maximum\ntickets:\n${tickets}`;

  it('a ticket that requires another session waits until that ticket is completed there; next, status and blockers say so', async () => {
    await start('a', [], [{ id: 'X' }]);
    writeFileSync(path.join(dir, 'b.yaml'), planWith('B', '  - {id: T, title: t, requires: ["a:X"]}\n  - {id: U, title: u}\n'));
    await runJson(dir, ['init', 'b.yaml', '--id', 'b']);
    await runJson(dir, ['activate', '--id', 'b']);
    const first = await runJson(dir, ['next', '--id', 'b']);
    expect(first.actions.map((x: { do: string; ticket?: string }) => [x.do, x.ticket])).toEqual([['spawn', 'U'], ['wait', undefined]]);
    expect(first.actions[1].waiting_on).toEqual(['a:X']);
    expect((await runJson(dir, ['status', '--id', 'b'])).waiting_on_sessions).toEqual([{ ticket: 'T', waits_for: ['a:X'] }]);
    const blockers = await runJson(dir, ['blockers', '--id', 'b']);
    expect(blockers.findings.map((f: { kind: string; ticket: string }) => [f.kind, f.ticket])).toEqual([['external-wait', 'T']]);
    expect((await runJson(dir, ['claim', '--id', 'b', '--agent', 'z'])).reason).toBe('waiting on other sessions: T needs a:X (1 running here)');
    const ax = await runJson(dir, ['next', '--id', 'a']);
    await runJson(dir, ['complete', '--id', 'a', '--agent', ax.actions[0].worker, '--ticket', 'X', '--summary', 'x']);
    const then = await runJson(dir, ['next', '--id', 'b']);
    expect(then.actions.filter((x: { do: string }) => x.do === 'spawn').map((x: { ticket: string }) => x.ticket)).toEqual(['T']);
  });

  it('init refuses an unknown session or ticket, and a cycle across sessions, creating nothing', async () => {
    writeFileSync(path.join(dir, 'c.yaml'), planWith('C', '  - {id: T, title: t, requires: ["nope:X"]}\n'));
    const unknown = await run(dir, ['init', 'c.yaml', '--id', 'c']);
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringContaining('requires `nope:X`, but there is no session `nope`')]);
    await start('p2', [], [{ id: 'B' }]);
    writeFileSync(path.join(dir, 'd.yaml'), planWith('D', '  - {id: T, title: t, requires: ["p2:Q"]}\n'));
    expect((await run(dir, ['init', 'd.yaml', '--id', 'd'])).stderr).toContain('session `p2` has no ticket `Q`');
    // p2's ticket B is edited by hand to require p1:A; p1's A requires p2:B: a cycle
    const { readFileSync } = await import('node:fs');
    const file = path.join(dir, '.orchestration/sessions/p2.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(\n  - id: B\n)/, '$1    requires: ["p1:A"]\n'));
    writeFileSync(path.join(dir, 'p1.yaml'), planWith('P1', '  - {id: A, title: a, requires: ["p2:B"]}\n'));
    const cycle = await run(dir, ['init', 'p1.yaml', '--id', 'p1']);
    expect([cycle.code, cycle.stderr]).toEqual([1, expect.stringContaining('Dependency cycle across sessions: p1:A → p2:B → p1:A')]);
    expect((await runJson(dir, ['sessions'])).sessions?.map?.((s: { id: string }) => s.id) ?? (await run(dir, ['sessions'])).stdout).not.toContain('p1');
  });
});

describe('plan filters of /analyze-dependencies in the helper', () => {
  const tickets = [
    { id: 'A', priority: 'low' },
    { id: 'B', priority: 'critical', deps: ['A'] },
    { id: 'C', priority: 'medium' },
    { id: 'D', priority: 'high', deps: ['C'] },
    { id: 'E', priority: 'low' },
  ];

  it('schedule --plan --priority keeps those priorities and what they depend on; init --priority makes that session', async () => {
    writeFileSync(path.join(dir, 'p.yaml'), planText('P', 2, tickets));
    const s = await runJson(dir, ['schedule', '--plan', 'p.yaml', '--priority', 'critical,high']);
    expect(s.groups.flatMap((g: { tickets: string[] }) => g.tickets).sort()).toEqual(['A', 'B', 'C', 'D']);
    const bad = await run(dir, ['schedule', '--plan', 'p.yaml', '--priority', 'urgent']);
    expect([bad.code, bad.stderr]).toEqual([1, expect.stringContaining('Unknown priority `urgent`')]);
    await runJson(dir, ['init', 'p.yaml', '--id', 'p', '--priority', 'critical']);
    expect((await runJson(dir, ['status', '--id', 'p'])).tickets.map((t: { id: string }) => t.id)).toEqual(['A', 'B']);
  });

  it('schedule --scope pending (default) plans the remaining tickets of a session, --scope all every ticket', async () => {
    await start('q', [], tickets.slice(0, 2));
    const n = await runJson(dir, ['next', '--id', 'q']);
    await runJson(dir, ['complete', '--id', 'q', '--agent', n.actions[0].worker, '--ticket', 'A', '--summary', 'a']);
    const groups = (r: { groups: { tickets: string[] }[] }) => r.groups.map((g) => g.tickets);
    expect(groups(await runJson(dir, ['schedule', '--id', 'q']))).toEqual([['B']]);
    expect(groups(await runJson(dir, ['schedule', '--id', 'q', '--scope', 'all']))).toEqual([['A'], ['B']]);
  });
});

describe('resources', () => {
  it('reports disk and disk I/O, checks what the parallelism needs, and suggests how many agents fit', async () => {
    writeFileSync(path.join(dir, 'r.yaml'), planText('R', 4, [{ id: 'A' }, { id: 'B' }, { id: 'C' }, { id: 'D' }]));
    await runJson(dir, ['init', 'r.yaml', '--id', 'r']);
    const roomy = await runJson(dir, ['resources', '--id', 'r'], { ORCHESTRATE_AGENT_MEMORY_MB: '1', ORCHESTRATE_AGENT_DISK_MB: '1' });
    expect(roomy.disk.free_bytes).toBeGreaterThan(0);
    expect(roomy.check.problems.filter((p: string) => !p.startsWith('cpu'))).toEqual([]);
    // a machine with no room for even one agent's estimate: a warning at activate, refused with --require-resources
    const huge = { ORCHESTRATE_AGENT_MEMORY_MB: String(10 * 1024 * 1024), ORCHESTRATE_AGENT_DISK_MB: '1' };
    const refused = await run(dir, ['activate', '--id', 'r', '--require-resources'], huge);
    expect([refused.code, refused.stderr]).toEqual([1, expect.stringMatching(/Not enough resources for \d agent\(s\): memory: \d agent\(s\) need ~[\d.]+ GiB, .* free/)]);
    expect((await runJson(dir, ['status', '--id', 'r'])).status).toBe('planned');
    const warned = await run(dir, ['activate', '--id', 'r', '--json'], huge);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('warning: short of resources');
    expect(JSON.parse(warned.stdout).resource_warnings[0]).toMatch(/^memory: /);
    const s = await runJson(dir, ['resources', '--id', 'r', '--suggest'], huge);
    expect(s.suggest).toEqual({ parallelism: 1, reason: expect.stringMatching(/^memory: 1 agent\(s\) need/) });
  });

  it('the dashboard draws them as bars on a TTY, as one line when piped or under NO_COLOR, and --json carries them', async () => {
    const { BufferStream } = await import('../../src/cli/io.ts');
    const { main } = await import('../../src/cli/orchestrate.ts');
    writeFileSync(path.join(dir, 'd.yaml'), planText('D', 2, [{ id: 'A' }]));
    await runJson(dir, ['init', 'd.yaml', '--id', 'd']);
    const dashboard = async (tty: boolean, env: Record<string, string> = {}) => {
      const stdout = Object.assign(new BufferStream(), { isTTY: tty, columns: 120 });
      const code = await main({ argv: ['dashboard', '--id', 'd'], cwd: dir, stdout, stderr: new BufferStream(), env });
      return { code, text: stdout.text };
    };
    const cores = (await import('node:os')).cpus().length;
    const tty = await dashboard(true);
    expect(tty.code).toBe(0);
    const bars = tty.text.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
    expect(bars).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^   CPU: +[█░]{20} +[\\d.]+%  load [\\d.]+ on ${cores} cores?$`)), expect.stringMatching(/^   Memory: +[█░]{20} +[\d.]+%  [\d.]+ [MG]iB free of [\d.]+ [MG]iB$/), expect.stringMatching(/^   Disk: +[█░]{20} +[\d.]+%  [\d.]+ [MG]iB free of/)]));
    expect(tty.text).toContain('\u001b[');
    for (const plain of [await dashboard(false), await dashboard(true, { NO_COLOR: '1' })]) {
      expect(plain.text).not.toMatch(/[█░]|\u001b/);
      expect(plain.text).toMatch(new RegExp(`^resources: cpu [\\d.]+% \\(load [\\d.]+ on ${cores} cores?\\), memory [\\d.]+% used \\(.+ free of .+\\), disk [\\d.]+% used`, 'm'));
    }
    const j = await runJson(dir, ['dashboard', '--id', 'd']);
    expect(j).toMatchObject({ id: 'd', status: 'planned', resources: { cpus: cores, memory: { total_bytes: (await import('node:os')).totalmem() }, disk: { total_bytes: expect.any(Number) } } });
  });

  it('sums whole disks of /proc/diskstats and ignores partitions', async () => {
    const { diskIo } = await import('../../src/runtime/resources.ts');
    const text = ['   8       0 sda 100 0 2000 0 50 0 4000 0 0 0 0', '   8       1 sda1 90 0 1000 0 40 0 3000 0 0 0 0', ' 259 0 nvme0n1 1 0 10 0 1 0 20 0 0 0 0'].join('\n');
    expect(diskIo(text)).toEqual({ read_bytes: (2000 + 10) * 512, written_bytes: (4000 + 20) * 512 });
    expect(diskIo(null)).toBeNull();
  });
});

describe('status --json shows how the run was started', () => {
  it('carries the stored settings and gates, for /execution:resume in a new conversation', async () => {
    await start('z', ['--validation', 'comprehensive', '--reviewer', 'security-reviewer', '--dashboard', '--command', '/execute'], [{ id: 'A' }]);
    const s = await runJson(dir, ['status', '--id', 'z']);
    expect(s.settings).toEqual({ validation: 'comprehensive', reviewer: 'security-reviewer', worker_agent: 'implementation-agent', max_attempts: 3, dashboard: true, pause_on_conflicts: false, command: '/execute' });
    expect(s.gates).toEqual([]);
  });
});
