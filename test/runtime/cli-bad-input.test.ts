import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, planText, run, runJson, tempDir } from './helpers.ts';

/**
 * Bad command-line input to the `orchestrate` helper: each case is refused with what was expected (exit 1,
 * never "This is a bug"), and the state file is left byte for byte as it was.
 */

let dir: string;
beforeEach(async () => {
  dir = tempDir('orch-bad-input-');
  writeFileSync(path.join(dir, 'p.yaml'), planText('bad input', 2, [{ id: 'A', files: ['a.ts'] }, { id: 'B', deps: ['A'], files: ['b.ts'] }, { id: 'C', files: ['c.ts'] }]));
  await runJson(dir, ['init', 'p.yaml', '--id', 's']);
  await runJson(dir, ['activate']);
});
afterEach(() => cleanup(dir));

const state = () => readFileSync(path.join(dir, '.orchestration/sessions/s.yaml'), 'utf8');

/** Runs `argv` and expects a refusal: exit 1, `message` on stderr, no internal error, the state file unchanged. */
async function refused(argv: string[], message: string): Promise<void> {
  const before = state();
  const r = await run(dir, argv);
  expect([r.code, r.stderr], argv.join(' ')).toEqual([1, expect.stringContaining(message)]);
  expect(r.stderr).not.toContain('internal error');
  expect(state()).toBe(before);
}

describe('files named on the command line', () => {
  it('export --log into a missing folder or onto a folder, import-state of a folder or with a missing log: exit 1, nothing written', async () => {
    mkdirSync(path.join(dir, 'folder'));
    // each was an internal error (exit 2, "This is a bug"), or for the log "does not hold events 1…2 (0 events)"
    await refused(['export', '--log', 'nodir/s.jsonl'], 'Cannot write --log `nodir/s.jsonl`: its folder does not exist; nothing was written');
    await refused(['export', '--log', 'folder'], 'Cannot write --log `folder`: it is a folder; nothing was written');
    expect(readdirSync(path.join(dir, 'folder'))).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await refused(['import-state', 'folder'], 'Cannot read the state file `folder`: it is a folder');
    await refused(['import-state', 'nope.yaml'], 'Cannot read the state file `nope.yaml`: no such file');
    writeFileSync(path.join(dir, 'exported.yaml'), (await run(dir, ['export'])).stdout);
    const other = path.join(dir, 'other');
    mkdirSync(other);
    const r = await run(other, ['import-state', '../exported.yaml', '--log', '../nope.jsonl']);
    expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/Cannot read --log `\S*nope\.jsonl`: no such file/)]);
    expect(existsSync(path.join(other, '.orchestration/sessions/s.yaml'))).toBe(false);
    // the same export, with a folder that exists, writes the log
    expect((await run(dir, ['export', '--log', 'folder/s.jsonl'])).code).toBe(0);
    expect(readFileSync(path.join(dir, 'folder/s.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
  });
});

describe('flags', () => {
  it('a one-value flag given twice with different values is refused, not the last one silently', async () => {
    // init --id s --id s3 created s3; claim --agent a --agent b claimed for b
    await refused(['claim', '--agent', 'a', '--agent', 'b'], '--agent given twice with different values (`a`, `b`), expected one');
    await refused(['init', 'p.yaml', '--id', 's', '--id', 's3'], '--id given twice with different values (`s`, `s3`), expected one');
    expect((await runJson(dir, ['sessions'])).sessions.map((x: { id: string }) => x.id)).toEqual(['s']);
    // the same value twice, repeatable flags and boolean flags stay accepted
    expect((await runJson(dir, ['claim', '--agent', 'a', '--agent', 'a'])).ticket.id).toBe('A');
    expect((await runJson(dir, ['complete', '--ticket', 'A', '--agent', 'a', '--summary', 'ok', '--files', 'a.ts', '--files', 'b.ts', '--json'])).ticket.status).toBe('completed');
  });
});

describe('blank values', () => {
  it('a flag given an empty or blank value is refused, naming the flag', async () => {
    // each was accepted: a blank agent claimed A, a blank reason blocked B, agents --agent '' listed everyone
    await refused(['claim', '--agent', '   '], 'Empty --agent, expected a value');
    await refused(['block', '--ticket', 'B', '--reason', '  '], 'Empty --reason, expected a value');
    await refused(['agents', '--agent', ''], 'Empty --agent, expected a value');
    await refused(['schedule', '--plan', ''], 'Empty --plan, expected a value'); // read the current folder: ": error Expected a plan file, found a folder"
    await refused(['export', '--log', ''], 'Empty --log, expected a value');
    expect((await runJson(dir, ['claim', '--agent', 'a'])).ticket.id).toBe('A');
    // --test-cmd '' with --test-exit 0 was recorded as a test run that passed
    await refused(['complete', '--ticket', 'A', '--agent', 'a', '--summary', 'ok', '--test-cmd', '', '--test-exit', '0'], 'Empty --test-cmd, expected a value');
    await refused(['complete', '--ticket', 'A', '--agent', 'a', '--summary', 'ok', '--files', 'a.ts', '--files', ' '], 'Empty --files, expected a value');
    await refused(['approve', 'A', '--agent', ''], 'Empty --agent, expected a value');
    // a text file holding only blanks is a missing text
    writeFileSync(path.join(dir, 'blank.txt'), '  \n\n');
    await refused(['fail', '--ticket', 'A', '--agent', 'a', '--reason-file', 'blank.txt'], 'Missing --reason');
  });

  it('a name with spaces around it is refused (it was another agent, holding its own ticket); a reason may have them', async () => {
    expect((await runJson(dir, ['claim', '--agent', 'a'])).ticket.id).toBe('A');
    await refused(['claim', '--agent', ' a'], 'Invalid --agent ` a`, expected a name without spaces around it');
    await refused(['heartbeat', '--agent', 'a ', '--progress', '5'], 'Invalid --agent `a `, expected a name without spaces around it');
    await refused(['block', '--ticket', ' C', '--reason', 'x'], 'Invalid --ticket ` C`');
    expect((await runJson(dir, ['block', '--ticket', 'C', '--reason', ' waiting for the API '])).blocker.reason).toBe(' waiting for the API ');
  });
});

describe('names that match nothing, and flags that exclude each other', () => {
  it('agents --agent with no such agent says so (it said "no agents yet"); schedule --plan with --id is refused (--id was ignored)', async () => {
    await runJson(dir, ['claim', '--agent', 'a']);
    const r = await run(dir, ['agents', '--agent', 'nobody']);
    expect([r.code, r.stdout]).toEqual([0, 'no agent `nobody` in session s (`agents` without --agent lists them)\n']);
    expect((await run(dir, ['agents', '--agent', 'a'])).stdout).toMatch(/^a .* working A/);
    await refused(['schedule', '--plan', 'p.yaml', '--id', 's'], '--plan schedules a plan file, --id a session: pass one of them');
  });
});

describe('flags that go together', () => {
  it('gate --level system --group N is refused (the group was dropped silently)', async () => {
    await refused(['gate', '--level', 'system', '--group', '1', '--verdict', 'pass'], '--group goes with --level stream; a system gate covers the whole run');
    expect((await runJson(dir, ['gate', '--level', 'system', '--verdict', 'pass'])).gate).toMatchObject({ level: 'system', group: null });
    expect((await runJson(dir, ['gate', '--level', 'stream', '--group', '1', '--verdict', 'pass'])).gate).toMatchObject({ level: 'stream', group: 1 });
  });
});

describe('flags parseArgs refuses', () => {
  it('say what is wrong, without node\'s advice about positionals', async () => {
    // was "Option '--progress' argument is ambiguous.; allowed flags: …" and "Unknown option '--agnt'. To specify a
    // positional argument starting with a '-', place it at the end of the command after '--', as in '-- "--agnt"; allowed flags: …"
    await refused(['heartbeat', '--agent', 'a', '--progress', '-1'], 'Missing value after --progress: the next argument `-1` starts with `-` (if it is the value, write `--progress=-1`)');
    await refused(['claim', '--agent', '--json'], 'Missing value after --agent: the next argument `--json` starts with `-`');
    await refused(['claim', '--agent'], 'Missing value after --agent\n');
    await refused(['complete', '--verify=yes'], '--verify takes no value; allowed flags: --id, --ticket');
    const r = await run(dir, ['claim', '--agnt', 'x']);
    expect(r.stderr.split('\n')[1]).toBe("Unknown option '--agnt'; allowed flags: --id, --agent, --lease, --wait, --json, --help, --store");
    // the value itself is then checked as before
    await refused(['heartbeat', '--agent', 'a', '--progress=-1'], 'Invalid --progress `-1`, expected an integer from 0 to 100');
  });
});

describe('next --returned', () => {
  it('an item of no accepted shape is refused; one that matches nothing stays a harmless late report', async () => {
    // each was accepted and matched nothing: the worker's ticket stayed held until its lease lapsed
    for (const bad of ['a:b:c:d', '::', 'worker-1:A:first', 'worker-1:']) {
      await refused(['next', '--returned', bad], `Invalid --returned \`${bad}\`, expected WORKER:TICKET:ATTEMPT`);
    }
    const first = await runJson(dir, ['next']);
    const spawn = first.actions.find((a: { do: string }) => a.do === 'spawn');
    const word = spawn.description.split(' ')[0];
    expect(word).toMatch(/^worker-\d+:[A-Z]:\d+$/);
    expect((await runJson(dir, ['next', '--returned', 'worker-9:Z:1'])).actions.some((a: { do: string }) => a.do === 'spawn')).toBe(false);
    await runJson(dir, ['next', '--returned', word]);
    const events = (await runJson(dir, ['events', '--tail', '0'])).events as { verb: string; ticket: string | null }[];
    expect(events.filter((e) => e.verb === 'returned').map((e) => e.ticket)).toEqual([spawn.ticket]);
  });
});

describe('text quoted back', () => {
  it('control characters of an argument are escaped in errors and confirmations, not sent to the terminal', async () => {
    const clear = '\u001b[2J\u001b[H';
    // `No ticket \`T␛[2J␛[H\`` reached stderr as typed and cleared the screen
    const e = await run(dir, ['retry', `T${clear}`]);
    expect([e.code, e.stderr]).toEqual([1, expect.stringContaining('No ticket `T\\e[2J\\e[H` in session `s`')]);
    expect(e.stderr).not.toContain('\u001b');
    const s = await run(dir, ['status', '--id', `s${clear}`]);
    expect(s.stderr).toContain('Invalid session id `s\\e[2J\\e[H`');
    expect(s.stderr).not.toContain('\u001b');
    // block's confirmation quotes the reason
    const b = await run(dir, ['block', '--ticket', 'B', '--reason', `stuck${clear}\u0007`]);
    expect([b.code, b.stdout]).toEqual([0, 'B: blocked (B1: stuck\\e[2J\\e[H\\a)\n']);
    // --json keeps the value itself (JSON escapes it)
    expect((await runJson(dir, ['status'])).blockers[0].reason).toBe(`stuck${clear}\u0007`);
  });
});

describe('complete --commit outside git', () => {
  it('a value that is no SHA is refused (it was recorded as the commit); a SHA is recorded as given', async () => {
    await runJson(dir, ['claim', '--agent', 'a']);
    for (const bad of ['nothex', 'HEAD', 'abc']) {
      await refused(['complete', '--ticket', 'A', '--agent', 'a', '--summary', 'ok', '--commit', bad], `Commit \`${bad}\` is not a SHA (4 to 64 hex digits), and there is no git repository here to resolve it`);
    }
    const r = await runJson(dir, ['complete', '--ticket', 'A', '--agent', 'a', '--summary', 'ok', '--commit', 'a1b2c3d']);
    expect(r.ticket.status).toBe('completed');
    expect((await runJson(dir, ['export'])).state.tickets[0].evidence.commits).toEqual(['a1b2c3d']);
  });
});
