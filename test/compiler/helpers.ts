import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { main } from '../../src/cli/build-commands.ts';
import { BufferStream, type ExitCode } from '../../src/cli/io.ts';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** A fixture folder under test/fixtures. */
export const fixture = (name: string) => path.join(ROOT, 'test', 'fixtures', name);

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temp folder, removed after the test; `files` (relative path → text) are written into it. */
export function tempDir(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bc-build-'));
  made.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** A temp copy of a fixture tree. */
export function copyFixture(name: string): string {
  const dir = tempDir();
  cpSync(fixture(name), dir, { recursive: true });
  return dir;
}

/** Runs the `build-commands` CLI in-process; returns exit code and captured output. */
export async function run(argv: string[], cwd: string): Promise<{ code: ExitCode; stdout: string; stderr: string }> {
  const stdout = new BufferStream();
  const stderr = new BufferStream();
  const code = await main({ argv, cwd, stdout, stderr, env: {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Every file under `dir` (relative path → bytes as latin1 string), for byte-for-byte comparisons. */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const abs = path.join(d, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else out[path.relative(dir, abs).split(path.sep).join('/')] = readFileSync(abs, 'latin1');
    }
  };
  walk(dir);
  return out;
}

/** A minimal command definition with `description` and `body`, plus optional extra frontmatter lines. */
export function command(body: string, extra = ''): string {
  return `---\ndescription: "A test command"\n${extra}---\n${body}`;
}

/** A minimal agent definition named `name`. */
export function agent(name: string, body = 'Do the work.\n', extra = ''): string {
  return `---\nname: ${name}\ndescription: "Agent ${name}"\n${extra}---\n${body}`;
}
