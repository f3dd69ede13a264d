/**
 * The package as a user gets it today without a registry release: `npm pack` in this repository, then
 * `npm install -D ./build-commands-X.tgz` in a fresh project. The package has no runtime dependencies (the bins
 * run the bundles in dist/, which inline every library), so the install fetches nothing else. Proves that the
 * installed bins work outside this repository — `npx build-commands` (the built-in pack into `.claude/`),
 * `npx build-commands --target skills`, `npx build-commands lint`,
 * `npx orchestrate` — that the built helper runs, and that the install prints no warning a user would have to act
 * on (no EBADENGINE, no install script to approve). One install; slow-ish (~15 s from the npm cache).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

describe('npm pack, then npm install -D the tarball into a fresh project', { timeout: 300_000 }, () => {
  let tmp: string;
  let project: string;
  let install: { status: number | null; stdout: string; stderr: string };
  const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bc-tarball-'));
    project = path.join(tmp, 'project');
    fs.mkdirSync(project);
    // dist/ is fresh (vitest's global setup bundled it); --ignore-scripts keeps `prepack` from rewriting it while
    // other test files run it.
    const packed = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8' })) as { filename: string }[];
    fs.copyFileSync(path.join(tmp, packed[0]!.filename), path.join(project, packed[0]!.filename));
    fs.writeFileSync(path.join(project, 'package.json'), '{ "name": "someone-elses-project", "private": true }\n');
    execFileSync('git', ['init', '-q'], { cwd: project });
    install = run('npm', ['install', '-D', `./${packed[0]!.filename}`, '--no-audit', '--no-fund', '--prefer-offline']);
  });
  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('installs with no warning to act on', () => {
    expect(install.status, install.stderr).toBe(0);
    expect(`${install.stdout}${install.stderr}`.split('\n').filter((l) => /npm warn/i.test(l))).toEqual([]);
    expect(fs.existsSync(path.join(project, 'node_modules', pkg.name, 'dist/build-commands.mjs'))).toBe(true);
    // The bins run from the bundles in dist/, which inline every library: the install pulls in no other package.
    expect(fs.readdirSync(path.join(project, 'node_modules')).filter((n) => !n.startsWith('.')).sort()).toEqual([pkg.name]);
  });

  it('npx build-commands writes the built-in pack into .claude/ and the built helper runs there', () => {
    const r = run('npx', ['--no-install', 'build-commands']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^built \d+ commands, \d+ agents into \.claude \(\d+ changed\)\n$/);
    expect(fs.existsSync(path.join(project, '.claude/commands/execution/pause.md'))).toBe(true);
    fs.copyFileSync(path.join(ROOT, 'examples/execution-plan.yaml'), path.join(project, 'plan.yaml'));
    const helper = (...args: string[]) => run(process.execPath, ['.claude/scripts/orchestrate.mjs', ...args]);
    expect(helper('validate', 'plan.yaml').status).toBe(0);
    const init = helper('init', 'plan.yaml', '--id', 'tarball');
    expect(init.status, init.stderr).toBe(0);
    const status = helper('status', '--json');
    expect(status.status, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ status: 'planned' });
    const orchestrate = run('npx', ['--no-install', 'orchestrate', 'sessions']);
    expect([orchestrate.status, orchestrate.stdout]).toEqual([0, expect.stringContaining('tarball')]);
  });

  it('npx build-commands --target skills replaces the commands with skills; npx build-commands lint passes', () => {
    const r = run('npx', ['--no-install', 'build-commands', '--target', 'skills']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^built \d+ skills, \d+ agents into \.claude/);
    expect(fs.readFileSync(path.join(project, '.claude/skills/execution-pause/SKILL.md'), 'utf8')).toContain('name: "execution-pause"');
    expect(fs.existsSync(path.join(project, '.claude/commands'))).toBe(false);
    const lint = run('npx', ['--no-install', 'build-commands', 'lint', '--max-warnings', '0']);
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
    expect(lint.stderr).toMatch(/0 errors, 0 warnings/);
  });
});
