/**
 * Every command line a user is told to type in README.md and examples/README.md is run here, as written
 * (so a stale flag or an old output format fails a test). Lines are taken from ```sh / ```bash blocks, `$ `
 * lines of plain blocks, `run:` lines of the CI workflow, and inline helper calls (a helper verb followed by
 * `--flag value`). Each runs with `bash -c` in a fresh git project holding a copy of `examples/` (the CI lines:
 * in a copy of this repository's definitions), where `npx build-commands` / `npx orchestrate` are this
 * checkout's bins and `claude` the pinned client (fresh HOME). The only lines not run here are the fresh-clone
 * ones (`npm ci && …`): the fresh-clone check runs those (README "Quick start"; the closing note).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELPER_VERBS } from '../../src/compiler/helper-verbs.ts';
import { claudeBin } from '../e2e/stand-in/run-claude.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DOCS = ['README.md', 'examples/README.md'];
/** Run by the fresh-clone check, not here (they reinstall node_modules). */
const FRESH_CLONE = ['npm ci && npx build-commands', 'npm ci && npm test', 'npm ci'];
/**
 * Lines that need a state this walk does not reach, each with where it is run instead. The test fails when one
 * of them is no longer in the documents (keep the list exact).
 */
const ELSEWHERE: Record<string, string> = {
  'node .claude/scripts/orchestrate.mjs approve --id <id> MOD-003 --agent reviewer-1': 'needs MOD-003 in review after a reviewer ran: test/runtime/dispatch.test.ts and the full run (test/e2e/full-run.test.ts) approve',
};
/** The session id the README's walk-through shows (its plain `next` output), used for the session here. */
const README_ID = /parser-module-rewrite-\d{8}-\d{6}-[0-9a-f]{4}/.exec(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'))?.[0] ?? 'docs-session';

/** One command line of a document: the text as a user types it and where it is. */
interface DocLine {
  doc: string;
  line: number;
  text: string;
  /** `ci`: a run: line of the CI workflow (runs in a copy of the repository's definitions). */
  kind: 'shell' | 'inline' | 'ci';
}

/** The command lines of a markdown document (see the file comment). */
function commandLines(doc: string): DocLine[] {
  const lines = fs.readFileSync(path.join(ROOT, doc), 'utf8').split('\n');
  const out: DocLine[] = [];
  let fence: string | undefined;
  lines.forEach((raw, i) => {
    const open = /^\s*```(\S*)/.exec(raw);
    if (open) {
      fence = fence === undefined ? open[1] : undefined;
      return;
    }
    const push = (text: string, kind: DocLine['kind']) => out.push({ doc, line: i + 1, text: text.replace(/\s+#\s.*$/, '').trim(), kind });
    if (fence === 'sh' || fence === 'bash') {
      if (raw.trim() && !raw.trim().startsWith('#')) push(raw, 'shell');
    } else if (fence === 'yaml') {
      const run = /^\s*-? ?run: (.+)$/.exec(raw);
      if (run) push(run[1]!, 'ci');
    } else if (fence === '') {
      const dollar = /^\s*\$ (.+)$/.exec(raw);
      if (dollar) push(dollar[1]!, 'shell');
    } else if (fence === undefined) {
      for (const m of raw.matchAll(/`([a-z-]+) (--[a-z-]+ [^`]+)`/g))
        if ((HELPER_VERBS as readonly string[]).includes(m[1]!)) push(`node .claude/scripts/orchestrate.mjs ${m[1]} ${m[2]}`, 'inline');
    }
  });
  return out;
}

const all = DOCS.flatMap(commandLines);

describe('the command lines of README.md and examples/README.md', { timeout: 300_000 }, () => {
  let tmp: string;
  let project: string;
  let repo: string;
  let env: NodeJS.ProcessEnv;

  /** Links `name` in `dir` to this checkout's bin (node follows the link, so `../dist` is this checkout's). */
  const linkBins = (dir: string) => {
    fs.mkdirSync(dir, { recursive: true });
    for (const bin of ['build-commands', 'orchestrate']) fs.symlinkSync(path.join(ROOT, 'bin', `${bin}.js`), path.join(dir, bin));
  };
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, stdio: 'pipe', encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' } }).trim();
  const sh = (cwd: string, line: string) => spawnSync('bash', ['-c', line], { cwd, env, encoding: 'utf8', timeout: 120_000 });

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bc-docs-'));
    const home = path.join(tmp, 'home');
    const binDir = path.join(tmp, 'bin');
    fs.mkdirSync(home);
    fs.mkdirSync(binDir);
    fs.symlinkSync(claudeBin(), path.join(binDir, 'claude'));
    env = { ...process.env, HOME: home, PATH: `${binDir}:${process.env.PATH}`, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1', NO_COLOR: '1', npm_config_update_notifier: 'false' };
    // A user's project: the examples, a passing `npm test`, git history.
    project = path.join(tmp, 'project');
    fs.cpSync(path.join(ROOT, 'examples'), path.join(project, 'examples'), { recursive: true });
    fs.writeFileSync(path.join(project, 'package.json'), '{ "name": "p", "private": true, "scripts": { "test": "node -e 0" } }\n');
    fs.writeFileSync(path.join(project, '.gitignore'), 'node_modules/\n.orchestration/\n');
    linkBins(path.join(project, 'node_modules/.bin'));
    git(project, 'init', '-q', '-b', 'main');
    git(project, 'add', '.');
    git(project, 'commit', '-q', '-m', 'initial');
    // The CI lines run in a copy of this repository's definitions, with its package.json scripts and bins.
    repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    for (const d of ['commands', 'agents']) fs.cpSync(path.join(ROOT, d), path.join(repo, d), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(repo, 'package.json'));
    fs.symlinkSync(path.join(ROOT, 'bin'), path.join(repo, 'bin'));
    linkBins(path.join(repo, 'node_modules/.bin'));
  });
  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('finds the lines (the extraction itself works)', () => {
    const texts = all.map((l) => l.text);
    expect(texts).toEqual(expect.arrayContaining(['npx build-commands', 'npx build-commands --target skills', 'claude plugin install build-commands@build-commands', 'node .claude/scripts/orchestrate.mjs dashboard --watch']));
    expect(texts.some((t) => t.includes('orchestrate.mjs next --id'))).toBe(true);
    for (const line of Object.keys(ELSEWHERE)) expect(texts, `ELSEWHERE lists a line the documents no longer have`).toContain(line);
    expect(all.filter((l) => l.kind === 'ci').length).toBeGreaterThanOrEqual(3);
  });

  it('runs every shell line and inline helper call in a user project, in document order, each with exit 0', async () => {
    const failures: string[] = [];
    let activated = false;
    for (const l of all.filter((x) => x.kind !== 'ci' && !FRESH_CLONE.includes(x.text) && !(x.text in ELSEWHERE))) {
      // `<id>` is the session's id; `--wait 110` waits for other agents' writes, which nobody makes here: 1 s.
      let text = l.text.replaceAll('<id>', README_ID).replace(/--wait \d+/, '--wait 1');
      if (l.kind === 'inline' && !activated) {
        // What the command does before these calls (README: "Claude Code runs `init …`"), under the README's id.
        const init = sh(project, `node .claude/scripts/orchestrate.mjs init examples/execution-plan.yaml --id ${README_ID}`);
        expect(init.status, init.stderr).toBe(0);
        activated = true;
      }
      if (text.includes('<sha>')) {
        // The agent's commit of its ticket's files.
        const file = /--files (\S+)/.exec(text)![1]!;
        fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
        fs.writeFileSync(path.join(project, file), 'export {};\n');
        git(project, 'add', file);
        git(project, 'commit', '-q', '-m', 'ticket');
        text = text.replace('<sha>', git(project, 'rev-parse', 'HEAD'));
      }
      if (/ --watch\b/.test(text)) {
        // Runs until interrupted: one frame, then Ctrl-C.
        const child = spawn('bash', ['-c', `exec ${text}`], { cwd: project, env });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        await new Promise<void>((resolve) => {
          const t = setInterval(() => {
            if (out.includes('progress:')) {
              clearInterval(t);
              child.kill('SIGINT');
              resolve();
            }
          }, 100);
          setTimeout(() => (clearInterval(t), child.kill('SIGKILL'), resolve()), 30_000);
        });
        if (!out.includes('progress:')) failures.push(`${l.doc}:${l.line}: ${text}: no dashboard frame`);
        continue;
      }
      const r = sh(project, text);
      if (r.status !== 0) failures.push(`${l.doc}:${l.line}: ${text} → exit ${r.status}\n${r.stdout}${r.stderr}`);
    }
    expect(failures.join('\n\n')).toBe('');
  });

  it('the schedule README shows is the start of what the helper prints for the example plan', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const shown = /writes what they print \(the start of it\):\n\s*```\n([\s\S]*?)\n\s*```/.exec(readme)![1]!.split('\n').map((s) => s.replace(/^ {3}/, ''));
    const r = sh(project, 'npx --no-install orchestrate schedule --plan examples/execution-plan.yaml');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n').slice(0, shown.length)).toEqual(shown);
  });

  it('runs the CI workflow lines in a copy of the repository definitions, each with exit 0', () => {
    expect(sh(repo, 'npm run build:pack').status).toBe(0);
    const failures: string[] = [];
    for (const l of all.filter((x) => x.kind === 'ci' && !FRESH_CLONE.includes(x.text))) {
      const r = sh(repo, l.text);
      if (r.status !== 0) failures.push(`${l.doc}:${l.line}: ${l.text} → exit ${r.status}\n${r.stdout.slice(0, 1500)}${r.stderr.slice(0, 1500)}`);
    }
    expect(failures.join('\n\n')).toBe('');
    expect(JSON.parse(fs.readFileSync(path.join(repo, 'build-commands-lint.sarif'), 'utf8')).version).toBe('2.1.0');
  });
});
