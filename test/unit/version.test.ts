import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as buildCommands } from '../../src/cli/build-commands.ts';
import { BufferStream } from '../../src/cli/io.ts';
import { BUNDLE, ROOT, run, runBundle } from '../runtime/helpers.ts';

const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('--version', () => {
  it('build-commands prints the package version', async () => {
    const stdout = new BufferStream();
    expect(await buildCommands({ argv: ['--version'], cwd: ROOT, stdout, stderr: new BufferStream() })).toBe(0);
    expect(stdout.text).toBe(`build-commands ${version}\n`);
  });

  it('orchestrate prints it from source and from the self-contained bundle (no package.json needed)', async () => {
    const r = await run(ROOT, ['--version']);
    expect(r).toEqual({ code: 0, stdout: `orchestrate ${version} (build-commands)\n`, stderr: '' });
    expect(readFileSync(BUNDLE, 'utf8')).toContain(`"${version}"`);
    expect(runBundle(path.dirname(ROOT), ['--version']).stdout).toBe(`orchestrate ${version} (build-commands)\n`);
  });
});
