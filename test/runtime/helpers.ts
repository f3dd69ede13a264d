import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn, spawnSync } from 'node:child_process';
import { parseDocument } from 'yaml';
import { BufferStream } from '../../src/cli/io.ts';
import { main } from '../../src/cli/orchestrate.ts';

/** Repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The bundled helper (built by vitest's global setup). */
export const BUNDLE = path.join(ROOT, 'dist/orchestrate.mjs');

/** A fresh temp folder; remove it with `cleanup`. */
export function tempDir(prefix = 'orch-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Removes a temp folder. */
export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Result of one CLI run. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the helper's `main` in-process in `cwd`. */
export async function run(cwd: string, argv: string[], env: Record<string, string | undefined> = {}): Promise<Run> {
  const stdout = new BufferStream();
  const stderr = new BufferStream();
  const code = await main({ argv, cwd, stdout, stderr, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Runs `main` and parses stdout as JSON (adds `--json`); throws with stderr when the exit code is not 0. */
export async function runJson<T = any>(cwd: string, argv: string[], env: Record<string, string | undefined> = {}): Promise<T> {
  const r = await run(cwd, [...argv, '--json'], env);
  if (r.code !== 0) throw new Error(`orchestrate ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** Runs the bundled helper as a real process (synchronously). */
export function runBundle(cwd: string, argv: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [BUNDLE, ...argv], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the bundled helper as a real process (asynchronously). */
export function runBundleAsync(cwd: string, argv: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BUNDLE, ...argv], { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Runs git in `cwd` and returns stdout; throws on failure. */
export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

/** Writes a plan YAML text for `tickets` (objects written as flow mappings). */
export function planText(title: string, agents: number, tickets: { id: string; deps?: string[]; files?: string[]; priority?: string; estimate?: string | number }[], strategy = 'maximum'): string {
  const lines = [`title: ${title}`, `agents: ${agents}`, `strategy: ${strategy}`, 'tickets:'];
  for (const t of tickets) {
    lines.push(`  - id: ${JSON.stringify(t.id)}`, `    title: ${JSON.stringify(`Ticket ${t.id}`)}`);
    if (t.priority) lines.push(`    priority: ${t.priority}`);
    if (t.estimate !== undefined) lines.push(`    estimate: ${t.estimate}`);
    lines.push(`    dependencies: ${JSON.stringify(t.deps ?? [])}`, `    files: ${JSON.stringify(t.files ?? [])}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The state file of session `id` under `dir`. */
export function sessionFile(dir: string, id: string): string {
  return path.join(dir, '.orchestration/sessions', `${id}.yaml`);
}

/** The event log of session `id` under `dir`. */
export function logFile(dir: string, id: string): string {
  return path.join(dir, '.orchestration/logs', `${id}.jsonl`);
}

/**
 * Edits the state file by hand, as a person would (through the YAML document: comments survive): sets the
 * `status` of ticket `ticket` of session `id`. Throws when there is no such ticket.
 */
export function setTicketStatusByHand(dir: string, id: string, ticket: string, status: string): void {
  const file = sessionFile(dir, id);
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const tickets = (doc.toJS() as { tickets: { id: string }[] }).tickets;
  const i = tickets.findIndex((t) => t.id === ticket);
  if (i === -1) throw new Error(`no ticket ${ticket} in ${file}`);
  doc.setIn(['tickets', i, 'status'], status);
  writeFileSync(file, doc.toString({ lineWidth: 0 }));
}

/** Deletes the log lines of session `id` whose event `seq` is in `seqs` (a person or a disk losing lines). */
export function deleteLogLines(dir: string, id: string, seqs: number[]): void {
  const file = logFile(dir, id);
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const kept = lines.filter((l) => !seqs.includes((JSON.parse(l) as { seq: number }).seq));
  if (kept.length !== lines.length - seqs.length) throw new Error(`not every seq of ${seqs.join(', ')} is in ${file}`);
  writeFileSync(file, kept.map((l) => `${l}\n`).join(''));
}

/**
 * Writes `worker.sh` into `dir` and returns its path: an agent in sh (`sh worker.sh NAME`) that claims and
 * completes tickets with the bundled helper until the session is completed, backing off (0.1 s doubling to
 * 3.2 s) when nothing is ready and appending a line to `idle.log` each time. Exits 1 with the helper's answer
 * on stderr when a call fails.
 */
export function writeWorkerScript(dir: string): string {
  const file = path.join(dir, 'worker.sh');
  writeFileSync(
    file,
    [
      '#!/bin/sh',
      `H="${process.execPath} ${BUNDLE}"`,
      'A=$1; d=0.1',
      'while :; do',
      '  out=$($H claim --agent "$A" 2>&1) || { echo "claim failed: $out" >&2; exit 1; }',
      '  case "$out" in',
      '    "claimed "*) id=${out#claimed }; id=${id%%:*}; d=0.1',
      '      o=$($H complete --ticket "$id" --agent "$A" --summary ok 2>&1) || { echo "complete failed: $o" >&2; exit 1; } ;;',
      '    *"session is completed"*) exit 0 ;;',
      '    *) echo >> idle.log; sleep $d; case $d in 0.1) d=0.2 ;; 0.2) d=0.4 ;; 0.4) d=0.8 ;; 0.8) d=1.6 ;; *) d=3.2 ;; esac ;;',
      '  esac',
      'done',
      '',
    ].join('\n'),
  );
  return file;
}
