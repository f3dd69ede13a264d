import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/build-commands.ts';
import { BufferStream } from '../../src/cli/io.ts';

/** Creates a temp folder holding `files` (relative path → content) and returns its path. */
export function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bc-lint-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** Runs `build-commands ARGV` in `cwd` with captured streams. */
export async function cli(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new BufferStream();
  const stderr = new BufferStream();
  const code = await main({ argv, cwd, stdout, stderr, env: {} });
  return { code, out: stdout.text, err: stderr.text };
}
