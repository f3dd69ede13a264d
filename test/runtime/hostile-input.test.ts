import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLE, cleanup, planText, tempDir } from './helpers.ts';

/**
 * Failures that are not bugs name themselves (issue 10), with real processes of the bundled helper: a state
 * file that parses but breaks the session schema, an out-of-range --lease, an oversized or missing plan, an
 * evidence path outside the repository, and long text through a file or standard input.
 * `ORCHESTRATE_BUNDLE_UNDER_TEST` runs these against another build of the helper.
 */

const HELPER = process.env.ORCHESTRATE_BUNDLE_UNDER_TEST || BUNDLE;

let dir: string;
beforeEach(() => {
  dir = tempDir('orch-input-');
});
afterEach(() => cleanup(dir));

function helper(argv: string[], input?: string) {
  const r = spawnSync(process.execPath, [HELPER, ...argv], { cwd: dir, encoding: 'utf8', env: { ...process.env, ORCHESTRATE_ROOT: dir }, maxBuffer: 64 * 1024 * 1024, ...(input !== undefined ? { input } : {}) });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const stateFile = () => path.join(dir, '.orchestration/sessions/s.yaml');

function start(): void {
  writeFileSync(path.join(dir, 'plan.yaml'), planText('input', 2, [{ id: 'T1' }, { id: 'T2', deps: ['T1'] }]));
  expect(helper(['init', 'plan.yaml', '--id', 's']).code).toBe(0);
  expect(helper(['activate']).code).toBe(0);
}

describe('a state file that parses but breaks the session schema', () => {
  const edits: [string, (yaml: string) => string, RegExp][] = [
    ['a duplicate ticket id', (y) => y.replace('id: "T2"', 'id: "T1"').replace("id: T2", 'id: T1'), /s\.yaml:\d+:\d+: error Duplicate ticket id `T1`/],
    ['an unknown dependency', (y) => y.replace('dependencies: [T1]', 'dependencies: [T9]'), /s\.yaml:\d+:\d+: error Unknown dependency `T9`/],
    ['a null blocker', (y) => y.replace(/blockers: \[\]/, 'blockers: [null]'), /s\.yaml:\d+:\d+: error Each blocker must be a mapping/],
  ];
  for (const [what, edit, expected] of edits) {
    it(`${what}: every verb says where (path:line:col), exit 1, and the file is never written`, () => {
      start();
      const before = readFileSync(stateFile(), 'utf8');
      const after = edit(before);
      expect(after, 'the edit applies').not.toBe(before);
      writeFileSync(stateFile(), after);
      for (const argv of [['heartbeat', '--agent', 'a', '--id', 's'], ['claim', '--agent', 'a', '--id', 's'], ['status', '--id', 's']]) {
        const r = helper(argv);
        expect(r.code, `${argv[0]}: ${r.stderr}`).toBe(1);
        expect(r.stderr).toMatch(expected);
        expect(r.stderr).toContain('state unchanged');
        expect(r.stderr).not.toContain('internal error');
        expect(readFileSync(stateFile(), 'utf8')).toBe(after);
      }
    });
  }
});

describe('values and files out of range', () => {
  it('an out-of-range --lease is refused with the range, exit 1, state unchanged', () => {
    start();
    const before = readFileSync(stateFile(), 'utf8');
    const r = helper(['claim', '--agent', 'a', '--lease', '99999999999999h']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('out of range, expected at most 7 days');
    expect(r.stderr).not.toContain('internal error');
    expect(readFileSync(stateFile(), 'utf8')).toBe(before);
  });

  it('a 48 MiB plan is one clear finding for validate and init', () => {
    writeFileSync(path.join(dir, 'big.yaml'), `title: big\nagents: 1\ntickets:\n${'#'.repeat(80)}\n`.repeat(1).padEnd(48 * 1024 * 1024, '#'));
    const v = helper(['validate', 'big.yaml']);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('big.yaml: error Plan file is 48.0 MiB, expected at most 4 MiB [plan-too-large]');
    expect(v.stderr).toContain('1 error, 0 warnings in 1 file');
    const i = helper(['init', 'big.yaml']);
    expect(i.code).toBe(1);
    expect(i.stderr).toContain('[plan-too-large]');
  });

  it('`validate nope.yaml` prints one clear error', () => {
    const v = helper(['validate', 'nope.yaml']);
    expect(v.code).toBe(1);
    expect(v.stdout).toBe('nope.yaml: error Cannot read the plan file: no such file [ENOENT] [plan-read]\n');
    expect(v.stderr).toBe('1 error, 0 warnings in 1 file\n');
  });
});

describe('evidence and long text', () => {
  it('an evidence path outside the repository is refused, even without --verify', () => {
    start();
    expect(helper(['claim', '--agent', 'a']).code).toBe(0);
    const before = readFileSync(stateFile(), 'utf8');
    for (const f of ['../../../etc/passwd', '/etc/passwd', 'src/../../x']) {
      const r = helper(['complete', '--ticket', 'T1', '--agent', 'a', '--summary', 'ok', '--files', f]);
      expect(r.code, f).toBe(1);
      expect(r.stderr).toContain(`Evidence file \`${f}\` is outside the repository`);
    }
    expect(readFileSync(stateFile(), 'utf8')).toBe(before);
    expect(helper(['complete', '--ticket', 'T1', '--agent', 'a', '--summary', 'ok', '--files', './src/a.ts']).code).toBe(0);
    expect(readFileSync(stateFile(), 'utf8')).toContain('src/a.ts');
  });

  it('a 5 MB summary arrives through --summary-file and through standard input (--summary-file -)', () => {
    start();
    expect(helper(['claim', '--agent', 'a']).code).toBe(0);
    const long = `${'word '.repeat(1_000_000)}end`;
    writeFileSync(path.join(dir, 'summary.md'), `${long}\n`);
    const both = helper(['complete', '--ticket', 'T1', '--agent', 'a', '--summary', 'x', '--summary-file', 'summary.md']);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('Pass --summary or --summary-file, not both');
    expect(helper(['complete', '--ticket', 'T1', '--agent', 'a', '--summary-file', 'summary.md']).code).toBe(0);
    const s = JSON.parse(helper(['consolidate', '--format', 'json']).stdout) as { groups: { tickets: { id: string; summary: string }[] }[] };
    const t1 = s.groups.flatMap((g) => g.tickets).find((t) => t.id === 'T1')!;
    expect(t1.summary).toBe(long);
    expect(helper(['claim', '--agent', 'a']).code).toBe(0);
    const r = helper(['fail', '--ticket', 'T2', '--agent', 'a', '--reason-file', '-'], `${long}\n`);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(stateFile(), 'utf8')).toContain('end');
  });
});
