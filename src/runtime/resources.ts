import { readFileSync, statfsSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { formatBytes } from './views/format.ts';
import { parallelismOf } from './parallelism-limit.ts';
import type { SessionState } from './state.ts';
import { isRunning } from './tickets.ts';
import { envNumber } from '../util/env-number.ts';

/**
 * `resources` (seeds 002 and 004's resource monitor): machine figures beside the session's load, file
 * conflicts, a check of what the parallelism needs, and a suggested parallelism — computed here, not by the
 * model. Estimates per agent (a subagent runs the ticket's edits, builds and tests): memory
 * `ORCHESTRATE_AGENT_MEMORY_MB` (default 512 MiB), disk `ORCHESTRATE_AGENT_DISK_MB` (default 256 MiB: build
 * output, test artefacts, a worktree's checkout), one CPU core per two agents (agents mostly wait on the model).
 */

/** A file touched by more than one ticket that is running or ready to run. */
export interface FileConflictInfo {
  file: string;
  running: string[];
  waiting: string[];
}

/** Bytes read and written by the machine's disks since boot (`/proc/diskstats`), or null where unknown. */
export interface DiskIo {
  read_bytes: number;
  written_bytes: number;
}

/** `resources`: machine figures, the session's load and file conflicts, the check and the suggestion. */
export interface Resources {
  cpus: number;
  loadavg: number[];
  memory: { total_bytes: number; free_bytes: number; used_percent: number };
  /** The file system holding the state (the repository). */
  disk: { total_bytes: number; free_bytes: number; used_percent: number } | null;
  io: DiskIo | null;
  running: number;
  /** Most tickets running at once, and the rule it came from (`parallelism-limit.ts`). */
  limit: number;
  limit_source: string;
  conflicts: FileConflictInfo[];
  /** What the limit needs against what is free, and the problems found (empty: enough). */
  check: ResourceCheck;
  /** The parallelism the machine supports now (at most the session's limit), and why. */
  suggest: { parallelism: number; reason: string };
}

/** Needs of the session's parallelism (bytes, cores) and the shortfalls, one line each. */
export interface ResourceCheck {
  needs: { memory_bytes: number; disk_bytes: number; cores: number };
  problems: string[];
}

const MiB = 1024 * 1024;

/** A per-agent estimate in bytes from `key` (MiB), `fallbackMb` when unset. @throws ToolError `InvalidEnvironment` for an unreadable value. */
function perAgent(env: Record<string, string | undefined>, key: string, fallbackMb: number): number {
  return envNumber(env, key, fallbackMb, { min: 1, max: 1_000_000_000, unit: 'MiB' }) * MiB;
}

function diskOf(root: string): Resources['disk'] {
  try {
    const s = statfsSync(root);
    const total = s.blocks * s.bsize;
    const free = s.bavail * s.bsize;
    return { total_bytes: total, free_bytes: free, used_percent: total > 0 ? Math.round(((total - free) * 1000) / total) / 10 : 0 };
  } catch {
    return null;
  }
}

/** Sums whole-disk lines of `/proc/diskstats` (sectors of 512 bytes); null where there is no such file. */
export function diskIo(text: string | null = readProc()): DiskIo | null {
  if (text === null) return null;
  let read = 0;
  let written = 0;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !/^(sd[a-z]+|vd[a-z]+|xvd[a-z]+|nvme\d+n\d+|mmcblk\d+)$/.test(f[2]!)) continue;
    read += Number(f[5]) * 512;
    written += Number(f[9]) * 512;
  }
  return { read_bytes: read, written_bytes: written };
}

function readProc(): string | null {
  try {
    return readFileSync('/proc/diskstats', 'utf8');
  } catch {
    return null;
  }
}

/**
 * What `parallelism` agents need against the machine (`free` memory and disk in bytes, `cores`), with one
 * problem line per shortfall, e.g. `memory: 3 agents need ~1.5 GiB, 900 MiB free`.
 */
export function checkResources(parallelism: number, machine: { memoryFree: number; diskFree: number | null; cores: number }, env: Record<string, string | undefined>): ResourceCheck {
  const mem = perAgent(env, 'ORCHESTRATE_AGENT_MEMORY_MB', 512);
  const disk = perAgent(env, 'ORCHESTRATE_AGENT_DISK_MB', 256);
  const needs = { memory_bytes: parallelism * mem, disk_bytes: parallelism * disk, cores: Math.ceil(parallelism / 2) };
  const problems: string[] = [];
  if (machine.memoryFree < needs.memory_bytes) problems.push(`memory: ${parallelism} agent(s) need ~${formatBytes(needs.memory_bytes)}, ${formatBytes(machine.memoryFree)} free`);
  if (machine.diskFree !== null && machine.diskFree < needs.disk_bytes) problems.push(`disk: ${parallelism} agent(s) need ~${formatBytes(needs.disk_bytes)}, ${formatBytes(machine.diskFree)} free`);
  if (machine.cores < needs.cores) problems.push(`cpu: ${parallelism} agent(s) want ${needs.cores} core(s), the machine has ${machine.cores}`);
  return { needs, problems };
}

/** The most agents (1 … `limit`) whose needs fit what is free, and why it is below `limit` when it is. */
export function suggestParallelism(limit: number, machine: { memoryFree: number; diskFree: number | null; cores: number }, env: Record<string, string | undefined>): { parallelism: number; reason: string } {
  for (let n = limit; n > 1; n--) if (checkResources(n, machine, env).problems.length === 0) return { parallelism: n, reason: n === limit ? 'the machine has room for the session\'s limit' : `${checkResources(n + 1, machine, env).problems.join('; ')}` };
  const p = checkResources(1, machine, env).problems;
  return { parallelism: 1, reason: limit === 1 ? 'the session runs one ticket at a time' : p.length ? p.join('; ') : checkResources(2, machine, env).problems.join('; ') };
}

/** Computes {@link Resources} for a session; `root`: the repository (its file system is measured). */
export function resourcesOf(state: SessionState, root: string, env: Record<string, string | undefined>): Resources {
  const byFile = new Map<string, FileConflictInfo>();
  for (const t of state.tickets) {
    const kind = isRunning(t) ? 'running' : t.status === 'pending' || t.status === 'blocked' ? 'waiting' : null;
    if (!kind) continue;
    for (const f of t.files) {
      let c = byFile.get(f);
      if (!c) byFile.set(f, (c = { file: f, running: [], waiting: [] }));
      c[kind].push(t.id);
    }
  }
  const conflicts = [...byFile.values()].filter((c) => c.running.length > 0 && c.running.length + c.waiting.length > 1).sort((a, b) => (a.file < b.file ? -1 : 1));
  const total = totalmem();
  const free = freemem();
  const disk = diskOf(root);
  const lim = parallelismOf(state);
  const machine = { memoryFree: free, diskFree: disk?.free_bytes ?? null, cores: cpus().length };
  return {
    cpus: machine.cores,
    loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
    memory: { total_bytes: total, free_bytes: free, used_percent: Math.round(((total - free) * 1000) / total) / 10 },
    disk,
    io: diskIo(),
    running: state.tickets.filter(isRunning).length,
    limit: lim.limit,
    limit_source: lim.source,
    conflicts,
    check: checkResources(lim.limit, machine, env),
    suggest: suggestParallelism(lim.limit, machine, env),
  };
}
