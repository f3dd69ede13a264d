import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { claudeBin } from '../e2e/stand-in/run-claude.ts';
import { copyFixture, ROOT, run, tempDir } from './helpers.ts';

const CLAUDE = claudeBin(); // installed on first use (test/e2e/stand-in/run-claude.ts)

/** Runs the real Claude Code CLI offline with a fresh HOME; resolves to exit code and output. */
async function claude(args: string[]): Promise<{ code: number; out: string }> {
  const env = { ...process.env, HOME: tempDir(), CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', NO_COLOR: '1' };
  try {
    const { stdout, stderr } = await promisify(execFile)(CLAUDE, args, { env, timeout: 60_000 });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : 2, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

describe('build --target plugin', () => {
  it('writes a plugin with namespaced agents and the plugin helper rule', async () => {
    const src = copyFixture('build-basic');
    const r = await run(['--target', 'plugin'], src);
    expect([r.code, r.stderr]).toEqual([0, 'built 3 commands, 2 agents into dist-plugin (11 changed)\n']);
    const out = path.join(src, 'dist-plugin');
    const runPlan = readFileSync(path.join(out, 'commands/run-plan.md'), 'utf8');
    expect(runPlan).toContain('allowed-tools: "Read, Bash(git status:*), Bash(node ${CLAUDE_PLUGIN_ROOT}/scripts/orchestrate.mjs:*), Agent"');
    expect(runPlan).toContain('- subagent_type: "build-commands:worker"');
    expect(runPlan).toContain('node ${CLAUDE_PLUGIN_ROOT}/scripts/orchestrate.mjs init "$0"');
    const plugin = JSON.parse(readFileSync(path.join(out, '.claude-plugin/plugin.json'), 'utf8'));
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(plugin).toMatchObject({ name: 'build-commands', version: pkg.version, license: 'MIT', author: { name: pkg.author } });
    const market = JSON.parse(readFileSync(path.join(out, '.claude-plugin/marketplace.json'), 'utf8'));
    expect(market.plugins).toEqual([{ name: 'build-commands', source: './', description: plugin.description, version: pkg.version }]);
    expect(readFileSync(path.join(out, 'README.md'), 'utf8').split(/\s+/).length).toBeGreaterThan(40);
  });

  it('passes `claude plugin validate --strict --profile directory`, and the marketplace validates', async () => {
    const src = copyFixture('build-basic');
    expect((await run(['--target', 'plugin'], src)).code).toBe(0);
    const plugin = await claude(['plugin', 'validate', '--strict', '--profile', 'directory', path.join(src, 'dist-plugin')]);
    expect(plugin.out).toContain('Validation passed');
    expect(plugin.code).toBe(0);
    expect(plugin.out).toContain('agents: build-commands:worker');
    const market = await claude(['plugin', 'validate', '--strict', path.join(src, 'dist-plugin/.claude-plugin/marketplace.json')]);
    expect([market.code, market.out]).toEqual([0, expect.stringContaining('Validation passed')]);
  });

  it('a --target claude output folder passes `claude plugin validate --strict`', async () => {
    const src = copyFixture('build-basic');
    expect((await run([], src)).code).toBe(0);
    const r = await claude(['plugin', 'validate', '--strict', '--json', path.join(src, '.claude')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out.slice(r.out.indexOf('{')))).toMatchObject({ success: true, contents: [] });
    // The validator really reads that folder: an agent without a description fails it.
    writeFileSync(path.join(src, '.claude/agents/broken.md'), '---\nname: broken\n---\nx\n');
    const broken = await claude(['plugin', 'validate', '--strict', path.join(src, '.claude')]);
    expect(broken.code).toBe(1);
  });
});
