import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { copyFixture, ROOT, command, tempDir } from './helpers.ts';

/** Runs the bundled bin (what `npm run check:dist` runs) in `cwd`. */
async function bin(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/build-commands.js'), ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('bin/build-commands.js (the check:dist command)', () => {
  it('`--out dist-claude --check` exits 1 when dist-claude is stale and 0 when fresh', async () => {
    const src = copyFixture('build-basic');
    expect((await bin(['--out', 'dist-claude', '--check'], src)).code).toBe(1);
    const built = await bin(['--out', 'dist-claude'], src);
    expect([built.code, built.stderr]).toEqual([0, 'built 3 commands, 2 agents into dist-claude (6 changed)\n']);
    expect((await bin(['--out', 'dist-claude', '--check'], src)).code).toBe(0);
    writeFileSync(path.join(src, 'commands/plain.md'), command('Edited source.\n'));
    const stale = await bin(['--out', 'dist-claude', '--check'], src);
    expect([stale.code, stale.stdout]).toEqual([1, 'dist-claude/.build-commands-manifest.json: differs\ndist-claude/commands/plain.md: differs\n']);
  });

  it('exits 1 with positioned diagnostics for invalid definitions', async () => {
    const r = await bin(['--out', 'out'], copyFixture('build-invalid'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('commands/bad.md:3:1: error Unknown key `allowed_tools` in command frontmatter, did you mean `allowed-tools`? [frontmatter-schema]');
  });

  it('a reader that closes early (`lint --format sarif | head -1`) ends the output quietly: no EPIPE stack trace, the exit code of the run', async () => {
    // Enough findings that the report is far larger than a pipe's buffer, so writes go on after the reader left.
    const files = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`.claude/commands/c${i}.md`, `---\ndescription: "C"\nallowed-tools: Frob${i}\n---\nBody\n`]));
    const dir = tempDir(files);
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/build-commands.js'), 'lint', '--format', 'sarif'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).toBe('0 errors, 400 warnings in 400 files\n');
    expect(code).toBe(0);
  });
});

