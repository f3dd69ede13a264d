import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../runtime/helpers.ts';

const writer = path.join(ROOT, 'src/cli/fd-writer.ts');

/** Runs a script that writes `lines` lines through FdWriter(1), piped into `reader` (a shell command). */
function pipeInto(lines: number, reader: string) {
  const script = `import { FdWriter } from ${JSON.stringify(writer)}; const w = new FdWriter(1); for (let i = 0; i < ${lines}; i++) w.write('line ' + i + '\\n'); process.stderr.write('done\\n');`;
  const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
  return spawnSync('sh', ['-c', `"${tsx}" -e '${script.replace(/'/g, `'\\''`)}' | ${reader}`], { encoding: 'utf8' });
}

describe('FdWriter', () => {
  it('writes everything, in order, to a pipe', () => {
    const r = pipeInto(20_000, 'wc -l');
    expect(r.stdout.trim()).toBe('20000');
    expect(r.stderr).toContain('done');
  });

  it('drops output quietly once the reader has gone (EPIPE), and the program goes on', () => {
    const r = pipeInto(200_000, 'head -n 2');
    expect(r.stdout).toBe('line 0\nline 1\n');
    expect(r.stderr).toContain('done');
    expect(r.stderr).not.toContain('EPIPE');
  });
});
