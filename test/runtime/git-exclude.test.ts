import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, ROOT, runBundle, tempDir } from './helpers.ts';

const PLAN = path.join(ROOT, 'examples/execution-plan.yaml');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(cleanup));

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' } });

/** A git repository with one commit; `files` are committed. */
function repo(files: Record<string, string> = {}): string {
  const dir = tempDir('orch-exclude-');
  dirs.push(dir);
  git(dir, 'init', '-q', '-b', 'main');
  for (const [rel, text] of Object.entries({ 'README.md': '# r\n', ...files })) fs.writeFileSync(path.join(dir, rel), text);
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'initial');
  return dir;
}

const exclude = (dir: string) => fs.readFileSync(path.join(dir, '.git/info/exclude'), 'utf8');

describe('init keeps .orchestration/ out of git status', () => {
  it('adds .orchestration/ to the main worktree .git/info/exclude once, says so once, and leaves .gitignore alone', () => {
    const dir = repo();
    const before = exclude(dir);
    const first = runBundle(dir, ['init', PLAN, '--id', 'one']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toBe('added .orchestration/ to .git/info/exclude, so git status stays clean\n');
    expect(exclude(dir)).toBe(`${before}.orchestration/\n`);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(fs.existsSync(path.join(dir, '.gitignore'))).toBe(false);
    const second = runBundle(dir, ['init', PLAN, '--id', 'two']);
    expect([second.code, second.stderr]).toEqual([0, '']);
    expect(exclude(dir)).toBe(`${before}.orchestration/\n`);
  });

  it('adds nothing when .orchestration/ is already ignored (a .gitignore line)', () => {
    const dir = repo({ '.gitignore': '.orchestration/\n' });
    const before = exclude(dir);
    const r = runBundle(dir, ['init', PLAN, '--id', 'one']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(exclude(dir)).toBe(before);
  });

  it('from a linked worktree: writes the main worktree exclude file (shared by every worktree)', () => {
    const dir = repo();
    const wt = path.join(dir, '..', `${path.basename(dir)}-wt`);
    dirs.push(wt);
    git(dir, 'worktree', 'add', '-q', wt);
    const r = runBundle(wt, ['init', PLAN, '--id', 'one']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^added \.orchestration\/ to .*\.git\/info\/exclude, so git status stays clean\n$/);
    expect(exclude(dir)).toContain('.orchestration/\n');
    expect(fs.existsSync(path.join(dir, '.orchestration/sessions/one.yaml'))).toBe(true);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('outside git: writes the state, no exclude file, no message', () => {
    const dir = tempDir('orch-nogit-');
    dirs.push(dir);
    const r = runBundle(dir, ['init', PLAN, '--id', 'one'], { GIT_CEILING_DIRECTORIES: path.dirname(dir) });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(fs.existsSync(path.join(dir, '.git'))).toBe(false);
  });
});
