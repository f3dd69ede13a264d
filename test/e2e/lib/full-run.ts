/**
 * The scripted model of a full run: a plan runner (`/execute-parallel-plan plan.yaml --validation
 * comprehensive`) carried out the way its body says, through the dispatcher loop — the literal coordinator of
 * ./coordinator.ts (the body's `init`, `activate`, then `next --wait` and exactly its actions, every spawn of
 * one answer in one message, `--returned WORKER:TICKET` for each agent that came back) — and stand-in agents
 * (./workers.ts) that use only the helper lines of their own bodies:
 *
 * - a worker heartbeats, writes its ticket's declared files and commits them (standing in for the agent's edits
 *   and `git commit`), then runs its body's `complete` line with that commit; on the first attempt of
 *   `failOnce` it runs its body's `fail` line instead (`next` retries the ticket); on the first attempt of
 *   `returnOnce` it returns without either (the coordinator reports it with `--returned`, `next` releases
 *   and re-offers the ticket);
 * - a reviewer runs its body's `reject` line on the first review of `rejectOnce` (the ticket goes back to
 *   pending with the notes and is reworked), else `approve`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Script } from '../stand-in/server.ts';
import { isSubagentRequest } from './inspect.ts';
import { dispatchCoordinator, type CoordinatorLog } from './coordinator.ts';
import { standInWorkers, type WorkersLog } from './workers.ts';
import { say } from './script.ts';

/** What a full run is asked to include. */
export interface FullRunOptions {
  /** Helper prefix as prompts show it. */
  prefix: string;
  /** `--validation` level the run starts with. */
  validation: string;
  /** A ticket whose first attempt fails (through the agent body's `fail` line). */
  failOnce?: string;
  /** A ticket whose first agent returns without a result (no `complete`, no `fail`): `next --returned` releases it. */
  returnOnce?: string;
  /** A ticket whose first review rejects (through the reviewer body's `reject` line). */
  rejectOnce?: string;
  /** Declared files per ticket (the plan's `files`), which the stand-in workers write and commit. */
  files: Map<string, string[]>;
}

/** The failure reason and the review notes the run uses (the report must list them). */
export const FAIL_REASON = 'e2e fails once';
export const REJECT_REASON = 'e2e rejects once';

/**
 * @param project the project folder (a git repository: the stand-in workers commit there, one at a time —
 *   the stand-in server answers one request at a time).
 */
export function fullRunModel(project: string, opts: FullRunOptions): { script: Script; coordinator: CoordinatorLog; workers: WorkersLog } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: project, encoding: 'utf8', stdio: 'pipe' }).trim();
  const coordinator = dispatchCoordinator({ prefix: opts.prefix, validation: opts.validation });
  const workers = standInWorkers(opts.prefix, {
    first: ['heartbeat'],
    head: () => git('rev-parse', 'HEAD'),
    fails: (a, attempt) => (a.ticket === opts.failOnce && attempt === 1 ? FAIL_REASON : undefined),
    returnsEarly: (a, attempt) => a.ticket === opts.returnOnce && attempt === 1,
    rejects: (a, round) => (a.ticket === opts.rejectOnce && round === 1 ? REJECT_REASON : undefined),
    commit: (a, attempt) => {
      const files = opts.files.get(a.ticket) ?? [];
      for (const f of files) {
        fs.mkdirSync(path.dirname(path.join(project, f)), { recursive: true });
        fs.appendFileSync(path.join(project, f), `${a.ticket} attempt ${attempt} by ${a.worker}\n`);
      }
      if (files.length) git('add', '--', ...files);
      git('commit', '-q', '--allow-empty', '-m', `${a.ticket}: e2e attempt ${attempt}`);
      return { sha: git('rev-parse', 'HEAD'), files };
    },
  });
  const script: Script = (body, req) => {
    if ((body.tools?.length ?? 0) === 0) return say('e2e');
    return isSubagentRequest(body) ? workers.reply(body, req.at) : coordinator.reply(body, req);
  };
  return { script, coordinator: coordinator.log, workers: workers.log };
}
