import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stateRoot } from '../../src/runtime/store/paths.ts';
import { readHead } from '../../src/runtime/git.ts';
import { cleanup, git, planText, run, runBundle, runJson, tempDir } from './helpers.ts';

let dir: string;
let repo: string;
beforeEach(() => {
  dir = tempDir('orch-git-');
  repo = path.join(dir, 'repo');
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(repo, 'README.md'), 'hi\n');
  writeFileSync(path.join(repo, '.gitignore'), '.orchestration/\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'init');
  writeFileSync(path.join(repo, 'plan.yaml'), planText('g', 2, [{ id: 'A', files: ['a.txt'] }, { id: 'B', files: ['b.txt'] }]));
});
afterEach(() => cleanup(dir));

function commitFile(cwd: string, file: string, content: string, msg: string): string {
  writeFileSync(path.join(cwd, file), content);
  git(cwd, 'add', file);
  git(cwd, 'commit', '-q', '-m', msg);
  return git(cwd, 'rev-parse', 'HEAD');
}

describe('state root and git', () => {
  it('shares one state between the main worktree and a linked worktree (real processes)', () => {
    git(repo, 'worktree', 'add', '-q', path.join(dir, 'wt'), '-b', 'feature');
    const wt = path.join(dir, 'wt');
    const sub = path.join(wt, 'src', 'deep');
    mkdirSync(sub, { recursive: true });
    expect(stateRoot(sub)).toBe(repo);
    expect(stateRoot(path.join(repo))).toBe(repo);
    expect(runBundle(repo, ['init', 'plan.yaml', '--id', 'w']).code).toBe(0);
    expect(runBundle(sub, ['activate']).code).toBe(0);
    const c = runBundle(sub, ['claim', '--agent', 'wt-agent', '--json']);
    expect(c.code).toBe(0);
    const ticket = JSON.parse(c.stdout).ticket;
    // the checkpoint is the worktree's HEAD
    expect(ticket.checkpoint).toBe(git(wt, 'rev-parse', 'HEAD'));
    expect(existsSync(path.join(wt, '.orchestration'))).toBe(false);
    const s = JSON.parse(runBundle(repo, ['status', '--json']).stdout);
    expect(s.tickets.find((t: any) => t.id === ticket.id).agent).toBe('wt-agent');
  });

  it('reads HEAD through packed refs and detached HEADs like git does', () => {
    expect(readHead(repo)).toBe(git(repo, 'rev-parse', 'HEAD'));
    git(repo, 'pack-refs', '--all');
    expect(readHead(repo)).toBe(git(repo, 'rev-parse', 'HEAD'));
    git(repo, 'checkout', '-q', '--detach');
    expect(readHead(repo)).toBe(git(repo, 'rev-parse', 'HEAD'));
    expect(readHead(dir)).toBeNull();
  });

  it('complete --verify checks the commit, its files and re-runs the test command', async () => {
    await runJson(repo, ['init', 'plan.yaml', '--id', 'v']);
    await runJson(repo, ['activate']);
    const a = (await runJson(repo, ['claim', '--agent', 'x'])).ticket.id;
    const sha = commitFile(repo, 'a.txt', 'a\n', 'A');
    const missing = await run(repo, ['complete', '--ticket', a, '--agent', 'x', '--summary', 's', '--commit', 'deadbeef', '--verify']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Commit `deadbeef` does not exist');
    const wrongFile = await run(repo, ['complete', '--ticket', a, '--agent', 'x', '--summary', 's', '--commit', sha.slice(0, 8), '--files', 'a.txt,b.txt', '--verify']);
    expect(wrongFile.code).toBe(1);
    expect(wrongFile.stderr).toContain('Files not changed by commit');
    expect(wrongFile.stderr).toContain('`b.txt`');
    const failing = await run(repo, ['complete', '--ticket', a, '--agent', 'x', '--summary', 's', '--commit', sha, '--files', 'a.txt', '--test-cmd', 'test -f nope.txt', '--test-exit', '0', '--verify']);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toContain('exited 1 when run again');
    expect((await runJson(repo, ['status'])).tickets.find((t: any) => t.id === a).status).toBe('claimed');
    const ok = await runJson(repo, ['complete', '--ticket', a, '--agent', 'x', '--summary', 's', '--commit', sha.slice(0, 8), '--files', 'a.txt', '--test-cmd', 'test -f a.txt', '--test-exit', '0', '--verify']);
    expect(ok.ticket.status).toBe('completed');
    const yaml = readFileSync(path.join(repo, '.orchestration/sessions/v.yaml'), 'utf8');
    expect(parse(yaml).tickets.find((t: any) => t.id === a).evidence).toEqual({ commits: [sha], files: ['a.txt'], test_cmd: 'test -f a.txt', test_exit: 0, verified: true });
  });

  it('rollback reverts only that ticket’s commits, refuses with uncommitted changes, never resets', async () => {
    await runJson(repo, ['init', 'plan.yaml', '--id', 'r']);
    await runJson(repo, ['activate']);
    await runJson(repo, ['claim', '--agent', 'x']);
    await runJson(repo, ['claim', '--agent', 'y']);
    const shaA = commitFile(repo, 'a.txt', 'a\n', 'A');
    const shaB = commitFile(repo, 'b.txt', 'b\n', 'B');
    await runJson(repo, ['complete', '--ticket', 'A', '--agent', 'x', '--summary', 's', '--commit', shaA]);
    await runJson(repo, ['complete', '--ticket', 'B', '--agent', 'y', '--summary', 's', '--commit', shaB]);
    expect((await runJson(repo, ['status'])).status).toBe('completed');

    writeFileSync(path.join(repo, 'a.txt'), 'local edit\n');
    const refused = await run(repo, ['rollback', '--ticket', 'A']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Uncommitted changes in files of `A`');
    expect(refused.stderr).toContain('a.txt');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(shaB);
    git(repo, 'checkout', '--', 'a.txt');

    const r = await runJson(repo, ['rollback', '--ticket', 'A']);
    expect(r.reverted).toEqual([shaA]);
    expect(existsSync(path.join(repo, 'a.txt'))).toBe(false);
    expect(readFileSync(path.join(repo, 'b.txt'), 'utf8')).toBe('b\n');
    // history kept: the revert is a new commit on top
    expect(git(repo, 'rev-list', '--count', 'HEAD')).toBe('4');
    expect(git(repo, 'log', '-1', '--format=%s')).toContain('Revert "A"');
    const s = await runJson(repo, ['status']);
    expect(s.status).toBe('coordinating');
    expect(s.tickets.map((t: any) => [t.id, t.status])).toEqual([
      ['A', 'pending'],
      ['B', 'completed'],
    ]);
    expect((await run(repo, ['rollback', '--ticket', 'A'])).stderr).toContain('only a completed ticket can be rolled back');
  });

  it('rollback refuses while a dependant built on the ticket is completed or running; dependants first works', async () => {
    writeFileSync(path.join(repo, 'plan.yaml'), planText('g', 2, [{ id: 'A', files: ['a.txt'] }, { id: 'B', files: ['b.txt'], deps: ['A'] }, { id: 'C', files: ['c.txt'], deps: ['B'] }]));
    await runJson(repo, ['init', 'plan.yaml', '--id', 'd']);
    await runJson(repo, ['activate']);
    const done = async (id: string, agent: string) => {
      expect((await runJson(repo, ['claim', '--agent', agent])).ticket.id).toBe(id);
      const sha = commitFile(repo, `${id.toLowerCase()}.txt`, `${id}\n`, id);
      await runJson(repo, ['complete', '--ticket', id, '--agent', agent, '--summary', 's', '--commit', sha]);
      return sha;
    };
    await done('A', 'x');
    await done('B', 'y');
    expect((await runJson(repo, ['claim', '--agent', 'z'])).ticket.id).toBe('C');
    const head = git(repo, 'rev-parse', 'HEAD');
    const refused = await run(repo, ['rollback', '--ticket', 'A']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('`A` has dependants that built on it: `B` (completed), `C` (claimed)');
    expect(refused.stderr).toContain('Roll back the completed ones first (B)');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head); // nothing reverted
    await runJson(repo, ['fail', '--ticket', 'C', '--agent', 'z', '--reason', 'stop', '--retry']);
    expect((await runJson(repo, ['rollback', '--ticket', 'B'])).ticket).toBe('B');
    expect((await runJson(repo, ['rollback', '--ticket', 'A'])).ticket).toBe('A');
    expect(existsSync(path.join(repo, 'a.txt'))).toBe(false);
    expect(existsSync(path.join(repo, 'b.txt'))).toBe(false);
  });
});
