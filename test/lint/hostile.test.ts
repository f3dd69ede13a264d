/**
 * Hostile trees on disk: symbolic links (out of the root, in a loop), a file over the size cap, binary and
 * invalid UTF-8 files. The linter finishes, reads each file once, and gives each such file one clear finding.
 * (Time linear in the file size is measured by bench/lint-scaling.ts, not asserted here.)
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_FILE_BYTES } from '../../src/lint/read.ts';
import { cli, tree } from './helpers.ts';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe('hostile trees', () => {
  it('does not follow links out of the root or into a loop; flags oversize, binary and invalid UTF-8 files once each', async () => {
    const outside = tree({ 'secret.md': '---\ndescription: "Outside"\n---\nNot ours\n' });
    const dir = tree({ '.claude/commands/ok.md': '---\ndescription: "Fine"\n---\nBody\n' });
    made.push(outside, dir);
    const cmds = path.join(dir, '.claude/commands');
    symlinkSync(path.join(outside, 'secret.md'), path.join(cmds, 'leak.md'));
    symlinkSync(path.join(cmds, 'ok.md'), path.join(cmds, 'alias.md')); // inside the root: read
    mkdirSync(path.join(cmds, 'loop'));
    symlinkSync(cmds, path.join(cmds, 'loop/again')); // a folder loop
    symlinkSync(path.join(cmds, 'self.md'), path.join(cmds, 'self.md')); // a link to itself
    writeFileSync(path.join(cmds, 'huge.md'), `---\ndescription: "Huge"\n---\n${'x'.repeat(MAX_FILE_BYTES)}\n`);
    writeFileSync(path.join(cmds, 'image.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    writeFileSync(path.join(cmds, 'latin1.md'), Buffer.from('---\ndescription: "Caf\xe9"\n---\nBody\n', 'latin1'));
    const r = await cli(dir, 'lint', '.claude', '--format', 'json');
    const report = JSON.parse(r.out) as { diagnostics: { file: string; code: string; message: string }[]; files: number };
    const byFile = (name: string) => report.diagnostics.filter((d) => d.file === `.claude/commands/${name}`).map((d) => `${d.code}: ${d.message}`);
    expect(byFile('leak.md')).toEqual(['file-read: File is a symbolic link to a target outside the linted folder, not followed']);
    expect(byFile('self.md')).toEqual(['file-read: File is a symbolic link in a loop, not followed']);
    expect(byFile('huge.md')).toEqual([`file-read: File is ${MAX_FILE_BYTES + 29} bytes, over the ${MAX_FILE_BYTES}-byte cap, not linted`]);
    expect(byFile('image.md')).toEqual(['file-read: File is binary (it holds NUL bytes), expected UTF-8 text']);
    expect(byFile('latin1.md')).toEqual(['file-read: File is not valid UTF-8, expected UTF-8 text (Claude Code would read replacement characters)']);
    expect(byFile('alias.md')).toEqual([]);
    // Nothing from behind the folder loop, and the outside file's text never appears.
    expect(report.diagnostics.filter((d) => d.file.includes('loop/'))).toEqual([]);
    expect(report.files).toBe(7);
  });
});

describe('named pipes', () => {
  it('a pipe in a linted tree, or named on the command line, is one file-read finding, not a read that waits forever', (ctx) => {
    const dir = tree({ '.claude/commands/ok.md': '---\ndescription: "Fine"\n---\nBody\n' });
    made.push(dir);
    if (spawnSync('mkfifo', [path.join(dir, '.claude/commands/pipe.md')]).status !== 0) return ctx.skip();
    // A real process, cut after 20 s: a blocked read would stop this test process itself.
    const lint = (...args: string[]) => spawnSync(process.execPath, [path.join(import.meta.dirname, '../../bin/build-commands.js'), 'lint', ...args], { cwd: dir, encoding: 'utf8', timeout: 20_000, env: { ...process.env, NO_COLOR: '1' } });
    for (const target of ['.claude', '.claude/commands/pipe.md']) {
      const r = lint(target);
      expect(r.status, target).toBe(0);
      expect(r.stdout, target).toBe('.claude/commands/pipe.md:1:1: warning File is not a regular file (a named pipe, socket or device), not read [file-read]\n');
    }
  });
});
