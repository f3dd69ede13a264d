/**
 * Puts the orchestration state of a test project into the state a helper line needs, using the built helper
 * itself (the same `orchestrate.mjs` the commands call), so that every line a prompt may run can exit 0:
 * `activate` needs a planned session, `complete` a ticket claimed by that agent, `unblock` a blocked ticket,
 * `resume` a paused session, `rollback` a completed ticket with a commit, `next --returned W:T` a ticket T
 * claimed by W, `retry` a failed ticket, `approve`/`reject` a ticket in review (comprehensive validation). The session is always made from
 * the same plan file (examples/execution-plan.yaml) with the id {@link SESSION_ID}.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { flagValue, hasPlaceholder, helperVerb, planArgument, type FillValues } from './helper-lines.ts';

/** Session id every prepared state uses (so `--id "$0"` style arguments have a real value). */
export const SESSION_ID = 'e2e-session';

/** The outcome of running the helper directly. */
export interface HelperRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Drives the orchestration state of one project folder through its built helper. */
export class ProjectState {
  /**
   * @param project the project folder (a git repository; state lives in its `.orchestration/`).
   * @param helperFile absolute path of the built `orchestrate.mjs`.
   * @param planFile plan path as the prompts should name it (relative to `project`).
   */
  constructor(
    readonly project: string,
    readonly helperFile: string,
    readonly planFile: string,
  ) {}

  /** Runs the helper with `args` in the project folder. */
  run(args: string[]): HelperRun {
    const r = spawnSync(process.execPath, [this.helperFile, ...args], { cwd: this.project, encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** Like {@link run}, but throws with the output when the helper does not exit 0. */
  must(args: string[]): string {
    const r = this.run(args);
    if (r.status !== 0) throw new Error(`state preparation: orchestrate ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }

  /** Removes all orchestration state. */
  reset(): void {
    fs.rmSync(path.join(this.project, '.orchestration'), { recursive: true, force: true });
  }

  /** A fresh session: reset, init (planned), and unless `planned`, activate (coordinating). */
  fresh(planned = false): void {
    this.cached(planned ? 'planned' : 'active', () => {
      this.reset();
      this.must(['init', this.planFile, '--id', SESSION_ID]);
      if (!planned) this.must(['activate']);
    });
  }

  private readonly snapshots = new Map<string, { dir: string | undefined; values: unknown }>();

  /**
   * Runs `build` once per key and snapshots `.orchestration/` after it; later calls restore the snapshot (a
   * plain copy of the state files) instead of running the helper again. Returns what `build` returned.
   */
  cached<T>(key: string, build: () => T): T {
    const dir = path.join(this.project, '.orchestration');
    const hit = this.snapshots.get(key);
    if (hit) {
      this.reset();
      if (hit.dir) fs.cpSync(hit.dir, dir, { recursive: true });
      return hit.values as T;
    }
    const values = build();
    let snap: string | undefined = path.join(path.dirname(this.project), 'snapshots', key.replace(/[^\w.-]/g, '_'));
    fs.rmSync(snap, { recursive: true, force: true });
    if (fs.existsSync(dir)) fs.cpSync(dir, snap, { recursive: true });
    else snap = undefined;
    this.snapshots.set(key, { dir: snap, values });
    return values;
  }

  /** Claims with `worker-1`, `worker-2`, ... until `ticket` (or, when undefined, any ticket) is claimed; returns it and its agent. */
  claim(ticket?: string): { ticket: string; agent: string } {
    for (let i = 1; i <= 64; i++) {
      const agent = `worker-${i}`;
      const out = JSON.parse(this.must(['claim', '--agent', agent, '--json'])) as { ticket: { id: string } | null; reason?: string };
      if (!out.ticket) throw new Error(`state preparation: no ticket to claim (wanted ${ticket ?? 'any'}): ${out.reason ?? ''}`);
      if (ticket === undefined || out.ticket.id === ticket) return { ticket: out.ticket.id, agent };
    }
    throw new Error(`state preparation: could not claim ${ticket}`);
  }

  /** Makes a commit touching one file and returns its SHA. */
  commit(name: string): string {
    const file = path.join(this.project, 'e2e', `${name}.txt`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.appendFileSync(file, `${name} ${Date.now()}\n`);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: this.project, encoding: 'utf8', stdio: 'pipe' }).trim();
    git('add', path.relative(this.project, file));
    git('commit', '-q', '-m', `${name}: e2e change`);
    return git('rev-parse', 'HEAD');
  }

  /** The declared `files` of a ticket, from the session's status. */
  declaredFiles(ticket: string): string[] {
    const status = JSON.parse(this.must(['status', '--id', SESSION_ID, '--json'])) as { tickets: Array<{ id: string; files?: string[] }> };
    return status.tickets.find((t) => t.id === ticket)?.files ?? [];
  }

  /** Makes a commit changing exactly `files` (an empty commit when there are none) and returns its SHA. */
  commitFiles(name: string, files: string[]): string {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: this.project, encoding: 'utf8', stdio: 'pipe' }).trim();
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(this.project, f)), { recursive: true });
      fs.appendFileSync(path.join(this.project, f), `${name} ${Date.now()}\n`);
    }
    if (files.length) git('add', '--', ...files);
    git('commit', '-q', '--allow-empty', '-m', `${name}: e2e change of its files`);
    return git('rev-parse', 'HEAD');
  }

  /**
   * Prepares the state `line` needs and returns the values a model fills its placeholders with.
   * A ticket named literally in the line (from a `$0` argument) is the one prepared; otherwise the first
   * ticket the helper hands out.
   */
  prepare(line: string, prefix: string): FillValues {
    const verb = helperVerb(line, prefix);
    const literal = flagValue(line, '--ticket');
    const wanted = literal && !hasPlaceholder(literal) ? literal : undefined;
    const values: FillValues = { plan: this.planFile, ticket: wanted ?? '', agent: 'worker-1', sessionId: SESSION_ID, sha: '', files: 'e2e/file.txt', };
    const head = () => execFileSync('git', ['rev-parse', 'HEAD'], { cwd: this.project, encoding: 'utf8' }).trim();
    switch (verb) {
      case 'init':
        this.reset();
        break;
      case 'activate':
        this.fresh(true);
        break;
      case 'resume':
        this.cached('paused', () => {
          this.fresh();
          this.must(['pause', '--reason', 'e2e']);
        });
        break;
      case 'heartbeat':
      case 'complete':
      case 'fail':
      case 'block': {
        const c = this.cached(`claimed-${wanted ?? ''}`, () => {
          this.fresh();
          const claimed = this.claim(wanted);
          return { ...claimed, sha: this.commit(claimed.ticket), files: `e2e/${claimed.ticket}.txt` };
        });
        Object.assign(values, c);
        break;
      }
      case 'unblock': {
        const c = this.cached(`blocked-${wanted ?? ''}`, () => {
          this.fresh();
          const claimed = this.claim(wanted);
          this.must(['block', '--ticket', claimed.ticket, '--agent', claimed.agent, '--reason', 'e2e']);
          return claimed;
        });
        Object.assign(values, c);
        break;
      }
      case 'next': {
        // `next --returned W:T`: a worker that holds T came back without a result (next releases and re-offers T).
        if (line.includes('--returned')) {
          const c = this.cached(`claimed-${wanted ?? ''}`, () => {
            this.fresh();
            const claimed = this.claim(wanted);
            return { ...claimed, sha: this.commit(claimed.ticket), files: `e2e/${claimed.ticket}.txt` };
          });
          Object.assign(values, c);
        } else this.fresh();
        break;
      }
      case 'retry': {
        // A ticket that failed (its agent ran `fail`); `retry` puts it back to pending.
        const c = this.cached(`failed-${wanted ?? ''}`, () => {
          this.fresh();
          const claimed = this.claim(wanted);
          this.must(['fail', '--id', SESSION_ID, '--ticket', claimed.ticket, '--agent', claimed.agent, '--reason', 'e2e']);
          return claimed;
        });
        Object.assign(values, c);
        break;
      }
      case 'approve':
      case 'reject': {
        // A ticket in review: a comprehensive session, the ticket completed with a commit of its own declared
        // files (verified), and a reviewer assigned by `next`.
        const c = this.cached(`review-${wanted ?? ''}`, () => {
          this.reset();
          this.must(['init', this.planFile, '--id', SESSION_ID, '--validation', 'comprehensive']);
          this.must(['activate', '--id', SESSION_ID]);
          const claimed = this.claim(wanted);
          const files = this.declaredFiles(claimed.ticket);
          const sha = this.commitFiles(claimed.ticket, files);
          this.must(['complete', '--id', SESSION_ID, '--ticket', claimed.ticket, '--agent', claimed.agent, '--summary', 'e2e', '--commit', sha, ...(files.length ? ['--files', files.join(',')] : []), '--test-cmd', 'true', '--test-exit', '0']);
          const next = JSON.parse(this.must(['next', '--id', SESSION_ID, '--json'])) as { actions: Array<{ do: string; ticket?: string; worker?: string }> };
          const review = next.actions.find((a) => a.do === 'review' && a.ticket === claimed.ticket);
          if (!review) throw new Error(`state preparation: next gave no review action for ${claimed.ticket}: ${JSON.stringify(next.actions)}`);
          return { ticket: claimed.ticket, agent: review.worker!, sha };
        });
        Object.assign(values, c);
        break;
      }
      case 'rollback': {
        this.fresh();
        const c = this.claim(wanted);
        const sha = this.commit(c.ticket);
        this.must(['complete', '--ticket', c.ticket, '--agent', c.agent, '--summary', 'e2e', '--commit', sha, '--files', `e2e/${c.ticket}.txt`]);
        Object.assign(values, c, { sha });
        break;
      }
      default:
        this.fresh();
        values.sha = head();
        if (!values.ticket) values.ticket = this.firstReadyTicket();
    }
    if (!values.sha) values.sha = head();
    // A prompt that tells the model to write a plan file first (e.g. `/parallel-tasks`): the model has
    // written it by the time it runs the line, so the test writes the example plan there.
    const plan = planArgument(line, prefix);
    if (plan && !hasPlaceholder(plan) && !fs.existsSync(path.resolve(this.project, plan))) {
      fs.mkdirSync(path.dirname(path.resolve(this.project, plan)), { recursive: true });
      fs.copyFileSync(path.join(this.project, this.planFile), path.resolve(this.project, plan));
    }
    return values;
  }

  private firstReady: string | undefined;

  /** The ticket the helper hands out first for a fresh session (computed once, on a scratch copy of the state). */
  firstReadyTicket(): string {
    if (this.firstReady) return this.firstReady;
    const dir = path.join(this.project, '.orchestration');
    const backup = fs.existsSync(dir) ? fs.mkdtempSync(path.join(path.dirname(this.project), 'state-')) : undefined;
    if (backup) fs.cpSync(dir, backup, { recursive: true });
    this.fresh();
    this.firstReady = this.claim().ticket;
    this.reset();
    if (backup) {
      fs.cpSync(backup, dir, { recursive: true });
      fs.rmSync(backup, { recursive: true, force: true });
    }
    return this.firstReady;
  }
}
