import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/build-commands.ts';
import { BufferStream } from '../../src/cli/io.ts';
import { run, tempDir } from './helpers.ts';

/**
 * The build on odd but legal input (line endings, byte order marks, key types) and on input that is not text:
 * the right position and message, nothing written for a bad file, the same output on every platform.
 */
describe('build on edge-case input', () => {
  it('CRLF definitions build to the output an LF checkout gives (the last list item is `Read`, not `Read\\r`)', async () => {
    const lf = {
      'commands/c.md': '---\ndescription: "hi"\nallowed-tools:\n  - Read\n---\nBody $ARGUMENTS\n',
      'agents/ag.md': '---\nname: ag\ndescription: "an agent"\ntools: [Read, Grep]\n---\nYou are an agent\n',
    };
    const crlf = Object.fromEntries(Object.entries(lf).map(([k, v]) => [k, v.replaceAll('\n', '\r\n')]));
    const a = tempDir(lf);
    const b = tempDir(crlf);
    const ra = await run(['--out', 'out'], a);
    const rb = await run(['--out', 'out'], b);
    expect(rb.stderr).toBe(ra.stderr);
    expect(rb.code).toBe(0);
    for (const rel of ['commands/c.md', 'agents/ag.md'])
      expect(readFileSync(path.join(b, 'out', rel), 'utf8')).toBe(readFileSync(path.join(a, 'out', rel), 'utf8'));
  });

  it('a definition linked out of the source folder names the source folder it leaves, not the link itself', async () => {
    const dir = tempDir({ 'defs/commands/ok.md': '---\ndescription: "ok"\n---\nBody\n' });
    const target = path.join(tempDir(), 'secret.md');
    writeFileSync(target, 'secret\n');
    symlinkSync(target, path.join(dir, 'defs/commands/out.md'));
    const r = await run(['--src', 'defs', '--out', 'out'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `defs/commands/out.md:1:1: error Refusing to read \`defs/commands/out.md\`: it is a link to \`${realpathSync(target)}\`, outside \`defs\` (links are followed only inside the source folder) [definition-read]`,
    );
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('a definition that is not UTF-8 text is refused at the file, nothing written (it was built with replacement characters, or failed in the template engine)', async () => {
    const dir = tempDir({ 'commands/ok.md': '---\ndescription: "ok"\n---\nBody\n' });
    writeFileSync(path.join(dir, 'commands/latin1.md'), Buffer.from('---\ndescription: "Caf\xe9"\n---\nBody\n', 'latin1'));
    writeFileSync(path.join(dir, 'commands/nul.md'), '---\ndescription: "nul"\n---\nbody \0 x\n');
    const r = await run(['--out', 'out'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('commands/'))).toEqual([
      'commands/latin1.md:1:1: error File is not valid UTF-8, expected UTF-8 text (Claude Code would read replacement characters) [definition-read]',
      'commands/nul.md:1:1: error File is binary (it holds NUL bytes), expected UTF-8 text [definition-read]',
    ]);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('a template partial that is not UTF-8 text is refused at the file, nothing written (it was inlined with replacement characters)', async () => {
    const dir = tempDir({ 'commands/ok.md': '---\ndescription: "ok"\n---\nBody {{> sig}}\n' });
    mkdirSync(path.join(dir, 'templates/partials'), { recursive: true });
    writeFileSync(path.join(dir, 'templates/partials/sig.hbs'), Buffer.from('Caf\xe9', 'latin1'));
    const r = await run(['--src', '.', '--out', 'out'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('templates/partials/sig.hbs:1:1: error File is not valid UTF-8, expected UTF-8 text (Claude Code would read replacement characters) [template-read]');
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('--out naming a file, or a path below one, is a usage error in every mode (it was an internal error, exit 2)', async () => {
    const dir = tempDir({ 'commands/ok.md': '---\ndescription: "ok"\n---\nBody\n', notes: 'keep me\n' });
    for (const mode of [[], ['--dry-run'], ['--check']]) {
      const file = await run(['--out', 'notes', ...mode], dir);
      expect(file.code, mode.join(' ')).toBe(1);
      expect(file.stderr).toBe('Cannot build into `notes`: it is a file, expected a folder\nhint: Pass --out with a folder (it is created when missing). Nothing was written.\n');
      const below = await run(['--out', 'notes/out', ...mode], dir);
      expect(below.code, mode.join(' ')).toBe(1);
      expect(below.stderr).toContain('Cannot build into `notes/out`: it lies below a file, expected a folder\n');
    }
    expect(readFileSync(path.join(dir, 'notes'), 'utf8')).toBe('keep me\n');
  });

  it('BUILD_COMMANDS_LOCK_TIMEOUT_MS that is no number of ms is an error naming it, not silently the default', async () => {
    const dir = tempDir({ 'commands/ok.md': '---\ndescription: "ok"\n---\nBody\n' });
    for (const value of ['30s', '0', '1e3']) {
      const stderr = new BufferStream();
      const code = await main({ argv: ['--out', 'out'], cwd: dir, stdout: new BufferStream(), stderr, env: { BUILD_COMMANDS_LOCK_TIMEOUT_MS: value } });
      expect(code, value).toBe(1);
      expect(stderr.text).toContain(`BUILD_COMMANDS_LOCK_TIMEOUT_MS=\`${value}\` is not a number of ms from 1 to 86400000\n`);
      expect(existsSync(path.join(dir, 'out'))).toBe(false);
    }
    const ok = new BufferStream();
    expect(await main({ argv: ['--out', 'out'], cwd: dir, stdout: new BufferStream(), stderr: ok, env: { BUILD_COMMANDS_LOCK_TIMEOUT_MS: '5000' } })).toBe(0);
  });
});

