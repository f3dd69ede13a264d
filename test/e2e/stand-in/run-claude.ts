/**
 * Runs the real Claude Code CLI (`claude -p PROMPT --output-format json`) against a {@link StandIn}, with a
 * fresh HOME and no network beyond 127.0.0.1 (technique: ../shared/CLAUDE-CODE.md, "Running the real CLI in
 * tests, offline"). Which binary runs: see {@link claudeBin}.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (two levels above this folder's parent). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/**
 * The Claude Code version the suite runs unless told otherwise. It is not a devDependency: every
 * `@anthropic-ai/claude-code` release after 2.1.197 declares `engines.node >= 22` (checked with
 * `npm view @anthropic-ai/claude-code@<v> engines`) for its JS launcher, while the binary the suite runs is native
 * (the package's postinstall copies it from a platform package) and runs on the Node 20 this project supports —
 * as a devDependency it made `npm ci` print an EBADENGINE warning no user could act on. The suite installs it
 * on first use instead (docs/e2e.md "Running").
 */
export const PINNED_CLAUDE_CODE_VERSION = '2.1.329';

/** Folder where Claude Code `version` is installed for the suite (`node_modules/.cache/claude-code-e2e/<version>/`). */
export function versionCacheDir(version: string): string {
  return path.join(REPO_ROOT, 'node_modules/.cache/claude-code-e2e', version);
}

/** The Claude Code version the suite installs: `CLAUDE_CODE_E2E_VERSION`, else {@link PINNED_CLAUDE_CODE_VERSION}. */
export function wantedClaudeVersion(env: NodeJS.ProcessEnv = process.env): string {
  return env.CLAUDE_CODE_E2E_VERSION || PINNED_CLAUDE_CODE_VERSION;
}

/**
 * The `claude` binary the suite runs:
 * 1. `CLAUDE_CODE_E2E_BIN` — a path to any `claude` executable;
 * 2. otherwise {@link wantedClaudeVersion} (`CLAUDE_CODE_E2E_VERSION` or the pinned one), installed by
 *    {@link ensureClaudeBin} into `node_modules/.cache/claude-code-e2e/<version>/`.
 */
export function claudeBin(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CLAUDE_CODE_E2E_BIN) return path.resolve(env.CLAUDE_CODE_E2E_BIN);
  return path.join(versionCacheDir(wantedClaudeVersion(env)), 'node_modules/.bin/claude');
}

/**
 * Installs {@link wantedClaudeVersion} into {@link versionCacheDir} from the npm registry (once: skipped when its
 * `claude` exists; a `mkdir` lock keeps parallel test workers from installing twice). The folder's
 * package.json approves the client's postinstall (npm `allowScripts`: it copies the native binary into place).
 * Does nothing with `CLAUDE_CODE_E2E_BIN`. Runs when this module is loaded (test collection, no timeout) and
 * from test/e2e/global-setup.ts.
 * @throws Error when npm fails (the output is in the message).
 */
export function ensureClaudeBin(env: NodeJS.ProcessEnv = process.env): void {
  if (env.CLAUDE_CODE_E2E_BIN) return;
  const version = wantedClaudeVersion(env);
  if (!/^[\w.-]+$/.test(version)) throw new Error(`CLAUDE_CODE_E2E_VERSION must be a version like 2.1.197, got ${version}`);
  const dir = versionCacheDir(version);
  const bin = claudeBin(env);
  if (fs.existsSync(bin)) return;
  fs.mkdirSync(dir, { recursive: true });
  const lock = path.join(dir, '.installing');
  for (let waited = 0; ; waited += 1) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (fs.existsSync(bin)) return;
      if (waited > 600) throw new Error(`timed out waiting for another worker installing Claude Code ${version} (${lock})`);
      execFileSync('sleep', ['1']);
    }
  }
  try {
    if (fs.existsSync(bin)) return;
    const manifest = { private: true, allowScripts: { [`@anthropic-ai/claude-code@${version}`]: true } };
    fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', dir, `@anthropic-ai/claude-code@${version}`], { stdio: 'pipe', encoding: 'utf8' });
    if (!fs.existsSync(bin)) throw new Error(`npm installed @anthropic-ai/claude-code@${version} but ${bin} is missing`);
  } catch (err) {
    const e = err as { message: string; stderr?: string };
    throw new Error(`could not install Claude Code ${version}: ${e.message}\n${e.stderr ?? ''}`);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

ensureClaudeBin();

/** The parsed `--output-format json` result (fields the tests read; the rest passes through). */
export interface ClaudeResult {
  type?: string;
  subtype?: string;
  is_error?: boolean;
  result?: string;
  num_turns?: number;
  session_id?: string;
  permission_denials?: Array<{ tool_name: string; tool_use_id: string; tool_input: Record<string, unknown> }>;
  [key: string]: unknown;
}

/** What one `claude` process did. */
export interface ClaudeRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** The JSON result, or `undefined` when stdout was not JSON (then look at stdout/stderr). */
  json: ClaudeResult | undefined;
  /** Wall time in ms (for the report only; never asserted). */
  ms: number;
}

/** Options for {@link runClaude} and {@link runClaudeRaw}. */
export interface RunOptions {
  /** Project folder (the session's cwd). */
  cwd: string;
  /** A fresh temporary HOME for this run (no user settings leak in). */
  home: string;
  /** Stand-in URL (`ANTHROPIC_BASE_URL`); leave out for commands that make no API call (`plugin ...`). */
  baseUrl?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  /** Kill after this many ms (default 240 000). */
  timeoutMs?: number;
  /** TMPDIR for the run (Claude Code keeps task transcripts under `$TMPDIR/claude-<uid>/`); default: `<home>/../tmp` when it exists. */
  tmpdir?: string;
}

/** Environment for a sandboxed run: the parent's PATH and a few basics, nothing else from the parent. */
export function sandboxEnv(opts: RunOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    LANG: process.env.LANG ?? 'C.UTF-8',
    TERM: 'dumb',
    HOME: opts.home,
    XDG_CONFIG_HOME: path.join(opts.home, '.config'),
    XDG_CACHE_HOME: path.join(opts.home, '.cache'),
    XDG_DATA_HOME: path.join(opts.home, '.local/share'),
    TMPDIR: opts.tmpdir ?? (fs.existsSync(path.join(path.dirname(opts.home), 'tmp')) ? path.join(path.dirname(opts.home), 'tmp') : os.tmpdir()),
    ANTHROPIC_API_KEY: 'any',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    // Git needs an identity when the helper or an agent commits.
    GIT_AUTHOR_NAME: 'e2e',
    GIT_AUTHOR_EMAIL: 'e2e@example.invalid',
    GIT_COMMITTER_NAME: 'e2e',
    GIT_COMMITTER_EMAIL: 'e2e@example.invalid',
    ...opts.env,
  };
  // Only the stand-in: an unreachable address for anything else Claude Code might try.
  env.ANTHROPIC_BASE_URL = opts.baseUrl ?? 'http://127.0.0.1:9';
  return env;
}

// At most this many claude processes at once in one test process (2 shared cores).
const MAX_CONCURRENT = Number(process.env.CLAUDE_CODE_E2E_CONCURRENCY ?? 2);
let running = 0;
const waiting: Array<() => void> = [];
async function acquire(): Promise<void> {
  if (running < MAX_CONCURRENT) {
    running++;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
}
function release(): void {
  running--;
  waiting.shift()?.();
}

/** Runs `claude ARGS` in the sandbox and collects its output. Never rejects on a non-zero exit. */
export async function runClaudeRaw(args: string[], opts: RunOptions): Promise<ClaudeRun> {
  await acquire();
  const started = Date.now();
  try {
    return await new Promise<ClaudeRun>((resolve, reject) => {
      const child = spawn(claudeBin(), args, { cwd: opts.cwd, env: sandboxEnv(opts), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 240_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        let json: ClaudeResult | undefined;
        try {
          json = JSON.parse(stdout) as ClaudeResult;
        } catch {
          json = undefined;
        }
        resolve({ exitCode: code, stdout, stderr, json, ms: Date.now() - started });
      });
    });
  } finally {
    release();
  }
}

/**
 * Runs `claude -p PROMPT --output-format json [ARGS]` against the stand-in.
 * @param prompt e.g. `/execute-plan plan.yaml` — what a user types.
 * @param args extra CLI flags (e.g. `['--max-turns', '20']`).
 */
export function runClaude(prompt: string, opts: RunOptions & { baseUrl: string; args?: string[] }): Promise<ClaudeRun> {
  return runClaudeRaw(['-p', prompt, '--output-format', 'json', ...(opts.args ?? [])], opts);
}

// Sandboxes not cleaned up yet: removed when the test process exits normally (a describe whose tests are
// all skipped by `-t` never runs its afterAll, but the pack suite makes its sandbox at collection). Sandboxes
// a killed run left behind are swept when they are more than 2 hours old.
const liveSandboxes = new Set<string>();
process.on('exit', () => {
  for (const root of liveSandboxes) fs.rmSync(root, { recursive: true, force: true });
});
for (const name of fs.readdirSync(os.tmpdir())) {
  if (!name.startsWith('bc-e2e-')) continue;
  const dir = path.join(os.tmpdir(), name);
  try {
    if (Date.now() - fs.statSync(dir).mtimeMs > 2 * 3600_000) fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    // another process removed it
  }
}

/** A fresh temporary folder with `home/`, `project/` and `tmp/` (the runs' TMPDIR) inside; `cleanup()` removes it. */
export function makeSandbox(prefix = 'bc-e2e-'): { root: string; home: string; project: string; tmp: string; cleanup(): void } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const home = path.join(root, 'home');
  const project = path.join(root, 'project');
  const tmp = path.join(root, 'tmp');
  for (const dir of [home, project, tmp]) fs.mkdirSync(dir);
  liveSandboxes.add(root);
  return {
    root,
    home,
    project,
    tmp,
    cleanup: () => {
      fs.rmSync(root, { recursive: true, force: true });
      liveSandboxes.delete(root);
    },
  };
}

let versionCache: string | undefined;

/** The version of the `claude` binary under test (`claude --version` → `2.1.329`), read once. */
export function claudeVersion(): string {
  versionCache ??= /\d+\.\d+\.\d+/.exec(execFileSync(claudeBin(), ['--version'], { encoding: 'utf8', env: { ...process.env, DISABLE_AUTOUPDATER: '1' } }))?.[0] ?? 'unknown';
  return versionCache;
}
