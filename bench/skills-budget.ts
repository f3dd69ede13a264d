/**
 * On-invoke and always-on token cost of the pack as commands and as skills, as Claude Code itself projects it:
 * builds the plugin twice (`--target plugin` and `--target plugin --layout skills`), installs each into a fresh
 * HOME from its local marketplace and reads `claude plugin details build-commands@build-commands` (the client's
 * "Projected token cost": always-on per session, on-invoke per use; CLAUDE-CODE.md "Plugins"). Prints one row per
 * command (its skill name beside it) and the totals. Needs the pinned client (installed on first use, see
 * test/e2e/stand-in/run-claude.ts). Asserts nothing; leaves the checkout unchanged (everything in a temp folder).
 *
 * Usage: npx tsx bench/skills-budget.ts
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { skillName } from '../src/compiler/skill-names.ts';
import { claudeBin } from '../test/e2e/stand-in/run-claude.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `~1.2k` → 1200, `~150` → 150. */
function tokens(text: string): number {
  const m = /~?([\d.,]+)(k?)/.exec(text)!;
  return Math.round(Number(m[1]!.replace(/,/g, '')) * (m[2] ? 1000 : 1));
}

/** Per-component `[always-on, on-invoke]` and the always-on total, from `claude plugin details` of one layout. */
function details(layout: 'commands' | 'skills', tmp: string): { rows: Map<string, [number, number]>; alwaysOn: number; version: string; out: string } {
  const out = path.join(tmp, layout, 'plugin');
  const home = path.join(tmp, layout, 'home');
  fs.mkdirSync(home, { recursive: true });
  const build = spawnSync(process.execPath, ['bin/build-commands.js', '--target', 'plugin', '--layout', layout, '--out', out], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(build.stderr);
  const env = { ...process.env, HOME: home, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', NO_COLOR: '1' };
  const claude = (...args: string[]) => spawnSync(claudeBin(), args, { cwd: tmp, env, encoding: 'utf8', timeout: 120_000 });
  for (const step of [['plugin', 'marketplace', 'add', out], ['plugin', 'install', 'build-commands@build-commands']]) {
    const r = claude(...step);
    if (r.status !== 0) throw new Error(`claude ${step.join(' ')}: ${r.stdout}${r.stderr}`);
  }
  const text = claude('plugin', 'details', 'build-commands@build-commands').stdout;
  const rows = new Map<string, [number, number]>();
  for (const m of text.matchAll(/^ {2}(\S+)\s+(~[\d.,]+k?)\s+(~[\d.,]+k?)\s*$/gm)) rows.set(m[1]!, [tokens(m[2]!), tokens(m[3]!)]);
  const alwaysOn = tokens(/Always-on:\s+(~[\d.,]+k?)/.exec(text)?.[1] ?? '0');
  return { rows, alwaysOn, version: claude('--version').stdout.trim(), out };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'skills-budget-'));
try {
  const commands = details('commands', tmp);
  const skills = details('skills', tmp);
  const names = fs
    .readdirSync(path.join(ROOT, 'commands'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => f.slice(0, -3).split(path.sep).join(':'))
    .sort();
  const pad = (s: string | number, n: number, right = false) => (right ? String(s).padStart(n) : String(s).padEnd(n));
  const shown = (n: number | undefined) => (n === undefined ? '-' : n);
  /** Our own estimate of a built file's on-invoke cost: its body (after the frontmatter), characters ÷ 4. */
  const estimate = (file: string) => Math.ceil(fs.readFileSync(file, 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '').length / 4);
  const w = Math.max(...names.map((n) => n.length)) + 1;
  const sw = Math.max(...names.map((n) => skillName(n).length)) + 1;
  console.log(`Claude Code ${commands.version}: on-invoke tokens per use, from \`claude plugin details\` (rounded; '-' = not listed)`);
  console.log(`and our estimate (body characters / 4) of the built file`);
  console.log(`${pad('command', w)}  ${pad('skill', sw)}  ${pad('client: cmd', 11, true)}  ${pad('skill', 6, true)}  ${pad('estimate: cmd', 13, true)}  ${pad('skill', 6, true)}`);
  const total = [0, 0, 0, 0];
  for (const n of names) {
    const c = commands.rows.get(n)?.[1];
    const sk = skills.rows.get(skillName(n))?.[1];
    const ec = estimate(path.join(commands.out, 'commands', `${n.split(':').join('/')}.md`));
    const es = estimate(path.join(skills.out, 'skills', skillName(n), 'SKILL.md'));
    [c ?? 0, sk ?? 0, ec, es].forEach((v, i) => (total[i]! += v));
    console.log(`${pad(`/${n}`, w)}  ${pad(`/${skillName(n)}`, sw)}  ${pad(shown(c), 11, true)}  ${pad(shown(sk), 6, true)}  ${pad(ec, 13, true)}  ${pad(es, 6, true)}`);
  }
  console.log(`${pad('total', w)}  ${pad('', sw)}  ${pad(total[0]!, 11, true)}  ${pad(total[1]!, 6, true)}  ${pad(total[2]!, 13, true)}  ${pad(total[3]!, 6, true)}`);
  console.log(`components \`plugin details\` lists: commands layout ${commands.rows.size}, skills layout ${skills.rows.size} (agents included)`);
  console.log(`always-on per session (the client's total, agents included): commands layout ${commands.alwaysOn}, skills layout ${skills.alwaysOn}`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
