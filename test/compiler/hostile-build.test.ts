import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/compiler/manifest.ts';
import { mountTmpfs } from '../runtime/tmpfs.ts';
import { ROOT, command, tempDir } from './helpers.ts';

/**
 * The build on a hostile tree (issue 10), as real processes of the bundled bin on real files: links inside
 * --out, --src and templates/ are never followed out, roots are refused, loops end, two builds into one
 * folder do not interleave, and data cannot form Claude Code's `!` syntax. `BUILD_COMMANDS_BIN_UNDER_TEST`
 * runs these against another build (to see them fail on one without the fixes).
 */

const BIN = process.env.BUILD_COMMANDS_BIN_UNDER_TEST || path.join(ROOT, 'bin/build-commands.js');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bin; a hang is cut at `timeoutMs` (then `code` is null). */
function bin(args: string[], cwd: string, env: Record<string, string> = {}, timeoutMs = 60_000): Result {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function binAsync(args: string[], cwd: string): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const outsides: string[] = [];
afterEach(() => {
  for (const d of outsides.splice(0)) rmSync(d, { recursive: true, force: true });
});
function outside(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'bc-outside-'));
  outsides.push(d);
  return d;
}

/** Every file under `dir` (relative, `/`), links not followed. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

describe('links inside --out are never written or deleted through', () => {
  it('refuses a `commands` link in the output folder: nothing is created in its target, a planted manifest entry deletes nothing', () => {
    const src = tempDir({ 'commands/hello.md': command('Hello.\n'), 'commands/gone.md': command('Old.\n') });
    expect(bin(['--out', 'out'], src).code).toBe(0);
    const target = outside();
    writeFileSync(path.join(target, 'precious.md'), 'keep me\n');
    rmSync(path.join(src, 'out/commands'), { recursive: true });
    symlinkSync(target, path.join(src, 'out/commands'));
    // plant an entry whose hash matches the file in the link's target: a stale file the build would delete
    const manifestFile = path.join(src, 'out/.build-commands-manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    manifest.files['commands/precious.md'] = sha256(readFileSync(path.join(target, 'precious.md')));
    writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    rmSync(path.join(src, 'commands/gone.md'));
    const r = bin(['--out', 'out'], src);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Refusing to (write|delete) `out\/commands\/[a-z]+\.md`: `out\/commands` is a symbolic link/);
    expect(filesUnder(target)).toEqual(['precious.md']);
    expect(readFileSync(path.join(target, 'precious.md'), 'utf8')).toBe('keep me\n');
  });

  it('refuses `--out /`, the home folder and the repository root, even in a dry run', () => {
    const src = tempDir({ 'commands/hello.md': command('Hello.\n') });
    const home = outside();
    mkdirSync(path.join(src, '.git'));
    for (const out of ['/', home, src]) {
      const r = bin(['--out', out, '--dry-run'], src, { HOME: home });
      expect(r.code, out).toBe(1);
      expect(r.stderr).toMatch(/Refusing to build into `.*`: it is (the root of the file system|your home folder|the root of the repository)/);
      expect(r.stdout).toBe('');
    }
  });
});

describe('links in the definitions folder', () => {
  it('a symlink loop under commands/ ends at once with a finding (no hang, no 41 copies)', () => {
    const src = tempDir({ 'commands/hello.md': command('Hello.\n') });
    symlinkSync('..', path.join(src, 'commands/up'));
    symlinkSync('loop-b', path.join(src, 'commands/loop-a.md'));
    symlinkSync('loop-a.md', path.join(src, 'commands/loop-b'));
    const r = bin(['--out', 'out'], src, {}, 30_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('commands/up:1:1: error A symbolic link that is not a definition file');
    expect(r.stderr).toMatch(/commands\/loop-a\.md:1:1: error .*loop/);
    expect(existsSync(path.join(src, 'out'))).toBe(false);
  });

  it('a partial linked out of the definitions folder is refused, never inlined', () => {
    const secret = path.join(outside(), 'id_rsa');
    writeFileSync(secret, '-----BEGIN OPENSSH PRIVATE KEY----- secret\n');
    const src = tempDir({ 'commands/hello.md': command('Hello {{> key}}\n') });
    mkdirSync(path.join(src, 'templates/partials'), { recursive: true });
    symlinkSync(secret, path.join(src, 'templates/partials/key.hbs'));
    const r = bin(['--out', 'out'], src);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Refusing to read `templates/partials/key.hbs`: it is a link to');
    const written = existsSync(path.join(src, 'out')) ? filesUnder(path.join(src, 'out')).map((f) => readFileSync(path.join(src, 'out', f), 'utf8')).join('') : '';
    expect(written).not.toContain('PRIVATE KEY');
  });
});

describe('named pipes in the definitions folder', () => {
  it('a pipe named like a definition, or a link to one, is a finding, not a build that waits forever for a writer', (ctx) => {
    const src = tempDir({ 'commands/hello.md': command('Hello.\n') });
    if (spawnSync('mkfifo', [path.join(src, 'commands/pipe.md')]).status !== 0) return ctx.skip();
    symlinkSync('pipe.md', path.join(src, 'commands/link.md'));
    const r = bin(['--out', 'out'], src, {}, 20_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('commands/pipe.md:1:1: error A definition that is not a regular file (a named pipe, socket or device), not read [definition-read]');
    expect(r.stderr).toContain('commands/link.md:1:1: error Refusing to read `commands/link.md`: it is not a regular file [definition-read]');
    expect(existsSync(path.join(src, 'out'))).toBe(false);
  });
});

describe('two builds into one folder', () => {
  it('run one after the other: the manifest lists every file, and the next build succeeds', async () => {
    const many = (tag: string) => Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`commands/${tag}${i}.md`, command(`Body ${tag} ${i}.\n`)]));
    const base = tempDir();
    const a = path.join(base, 'a');
    const b = path.join(base, 'b');
    for (const [dir, tag] of [[a, 'a'], [b, 'b']] as const) {
      for (const [rel, text] of Object.entries(many(tag))) {
        mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        writeFileSync(path.join(dir, rel), text);
      }
    }
    const out = path.join(base, 'out');
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all([binAsync(['--src', a, '--out', out], base), binAsync(['--src', b, '--out', out], base)]);
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const manifest = JSON.parse(readFileSync(path.join(out, '.build-commands-manifest.json'), 'utf8')) as { files: Record<string, string> };
      const onDisk = filesUnder(out).filter((f) => f !== '.build-commands-manifest.json');
      expect(onDisk).toEqual(Object.keys(manifest.files).sort());
      const next = bin(['--src', a, '--out', out], base);
      expect(next.code, next.stderr).toBe(0);
    }
  });
});

describe('data cannot form `!` syntax across an interpolation boundary', () => {
  it('a description ending in two backquotes before `{{description}}`!` renders no ```! fence', () => {
    const src = tempDir({
      'commands/x.md': '---\ndescription: "``"\n---\n{{description}}`!\nrm -rf ~\n```\n',
      'commands/y.md': '---\ndescription: "say !"\n---\nNow {{description}}`date` and ``{{description}}\n',
    });
    const r = bin(['--out', 'out'], src);
    expect(r.code, r.stderr).toBe(0);
    const x = readFileSync(path.join(src, 'out/commands/x.md'), 'utf8');
    const y = readFileSync(path.join(src, 'out/commands/y.md'), 'utf8');
    expect(x).not.toContain('```!');
    expect(y).not.toMatch(/!`/);
    const lint = bin(['lint', 'out', '--format', 'json'], src);
    expect(lint.stdout).not.toContain('shell-preapproval');
  });

  it('`lint` of the definitions finds the place that `lint` of an unprotected output would', () => {
    const src = tempDir({ 'commands/x.md': '---\ndescription: "``"\n---\n{{description}}`!\nrm -rf ~\n```\n' });
    const r = bin(['lint', 'commands', '--format', 'json'], src);
    const found = (JSON.parse(r.stdout) as { diagnostics: { code: string; line: number }[] }).diagnostics.filter((d) => d.code === 'interpolated-shell');
    expect(found.map((d) => d.line)).toEqual([4]);
  });
});

describe('file-system failures of a build name themselves', () => {
  it('a read-only output folder: ReadOnlyFileSystem, exit 2, not an internal error', (ctx) => {
    const mount = mountTmpfs('bc-erofs-', 1024 * 1024);
    if (!mount) return ctx.skip();
    try {
      const src = tempDir({ 'commands/hello.md': command('Hello.\n') });
      mount.readOnly();
      const r = bin(['--out', path.join(mount.dir, 'out')], src);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('Read-only file system');
      expect(r.stderr).not.toContain('internal error');
    } finally {
      mount.release();
    }
  });

  it('a full disk: DiskFull, exit 2, and no temp file left', (ctx) => {
    const mount = mountTmpfs('bc-enospc-', 256 * 1024);
    if (!mount) return ctx.skip();
    try {
      const src = tempDir({ 'commands/hello.md': command('Hello.\n') });
      const r = bin(['--out', path.join(mount.dir, 'out')], src); // the helper alone is larger than the disk
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('No space left on the device');
      expect(r.stderr).not.toContain('internal error');
      const left = existsSync(path.join(mount.dir, 'out')) ? filesUnder(path.join(mount.dir, 'out')).filter((f) => f.endsWith('.tmp')) : [];
      expect(left).toEqual([]);
    } finally {
      mount.release();
    }
  });
});
