import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/build-commands.ts';
import { BufferStream } from '../../src/cli/io.ts';
import { templateHelperCalls } from '../../src/import/helper-calls.ts';
import { ROOT } from '../runtime/helpers.ts';

async function cli(cwd: string, ...argv: string[]) {
  const stdout = new BufferStream();
  const stderr = new BufferStream();
  const code = await main({ argv, cwd, stdout, stderr, env: {} });
  return { code, out: stdout.text, err: stderr.text };
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('import: helper calls back to {{orchestrate}}', () => {
  it('templates calls of either target, choosing the quote; leaves what cannot be a template', () => {
    const body = [
      'Run `node .claude/scripts/orchestrate.mjs claim --agent worker-1 --json`.',
      '    node ${CLAUDE_PLUGIN_ROOT}/scripts/orchestrate.mjs complete --ticket T --summary "done" --verify',
      'node .claude/scripts/orchestrate.mjs',
      'node .claude/scripts/orchestrate.mjs frobnicate now',
      "node .claude/scripts/orchestrate.mjs block --reason \"it's\" --ticket T",
      'node .claude/scripts/orchestrate.mjsx status',
    ].join('\n');
    const r = templateHelperCalls(body);
    expect(r.converted).toBe(3);
    expect(r.body.split('\n')).toEqual([
      'Run `{{orchestrate "claim --agent worker-1 --json"}}`.',
      "    {{orchestrate 'complete --ticket T --summary \"done\" --verify'}}",
      '{{orchestrate ""}}',
      'node .claude/scripts/orchestrate.mjs frobnicate now',
      "node .claude/scripts/orchestrate.mjs block --reason \"it's\" --ticket T",
      'node .claude/scripts/orchestrate.mjsx status',
    ]);
  });

  it('imports the built pack (dist-claude) and rebuilds it as a plugin whose helper calls all use ${CLAUDE_PLUGIN_ROOT}', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bc-reimport-'));
    cpSync(path.join(ROOT, 'dist-claude'), path.join(dir, '.claude'), { recursive: true });
    const imp = await cli(dir, 'import', '.claude', '--to', 'defs', '--json');
    expect(imp.code, imp.err).toBe(0);
    const codes = (JSON.parse(imp.out) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
    expect(codes).toContain('import-helper-call');
    expect(codes).toContain('import-helper-rule');
    const built = await cli(dir, '--src', 'defs', '--out', 'plugin', '--target', 'plugin');
    expect(built.code, built.err).toBe(0);
    const commands = walk(path.join(dir, 'plugin/commands')).map((f) => readFileSync(f, 'utf8'));
    expect(commands.length).toBeGreaterThan(20);
    for (const text of commands) expect(text).not.toContain('node .claude/scripts/orchestrate.mjs');
    expect(commands.filter((t) => t.includes('node ${CLAUDE_PLUGIN_ROOT}/scripts/orchestrate.mjs ')).length).toBeGreaterThan(20);
    const lint = JSON.parse((await cli(dir, 'lint', 'plugin', '--format', 'json')).out) as { files: number; diagnostics: { code: string }[] };
    expect(lint.files).toBeGreaterThan(20);
    expect(lint.diagnostics.filter((d) => d.code === 'bash-coverage')).toEqual([]);
  });
});
