import path from 'node:path';
import type { ExitCode } from '../io.ts';
import { listSessionIds, readCurrent } from '../../runtime/store/store.ts';
import * as verbs from '../../runtime/verbs.ts';
import { pathProblem } from '../../util/safe-path.ts';
import { ID, print, sessionLine, sessionOf, str, usageError, type Verb } from './verb.ts';

/** The session verbs of `orchestrate`: `pause`, `resume`, `stop`, `export`, `import-state`, `sessions`. */
export const SESSION_VERBS: Record<string, Verb> = {
  pause: {
    usage: 'Usage: orchestrate pause [--reason TEXT] [--id ID] [--json]',
    summary: 'coordinating | blocked → paused: no new claims; running tickets may finish',
    options: { ...ID, reason: { type: 'string' } },
    async run(ctx) {
      const s = await verbs.pause(ctx.store, await sessionOf(ctx), str(ctx.values, 'reason') ?? null);
      return print(ctx, { id: s.id, status: s.status, revision: s.revision }, sessionLine(s));
    },
  },
  resume: {
    usage: 'Usage: orchestrate resume [--release] [--reason TEXT] [--id ID] [--json]',
    summary: 'paused | blocked → coordinating; repair the event log from the state; re-offer orphaned tickets',
    details: 'The state file is the truth: for each ticket whose status differs from its last logged event, one\n`reconcile` event is appended; lost log lines are recorded in one `reconcile` event, and events above the\nstate revision (a writer died) are discarded. A second resume finds nothing. Running tickets whose lease\nexpired are offered again; --release offers every running ticket again now, whatever its lease (after a\ncrash, when no agent is alive).',
    options: { ...ID, reason: { type: 'string' }, release: { type: 'boolean' } },
    async run(ctx) {
      const r = await verbs.resume(ctx.store, await sessionOf(ctx), { reason: str(ctx.values, 'reason') ?? null, release: ctx.values.release === true });
      const { drift } = r;
      const lines = [sessionLine(r.state)];
      for (const d of drift.tickets) lines.push(`reconciled ${d.ticket}: log said ${d.logged}, state says ${d.state}`);
      for (const g of drift.lost) lines.push(`recorded lost log lines: seq ${g.from === g.to ? g.from : `${g.from}-${g.to}`}`);
      if (drift.uncommitted) lines.push(`discarded ${drift.uncommitted} event(s) above the state revision`);
      if (r.reoffered.length) lines.push(`re-offered (lease expired): ${r.reoffered.join(', ')}`);
      if (r.released.length) lines.push(`released: ${r.released.join(', ')}`);
      for (const g of r.git) lines.push(`git: ${g}`);
      if (lines.length === 1) lines.push('event log agrees with the state');
      return print(
        ctx,
        { id: r.state.id, status: r.state.status, revision: r.state.revision, reoffered: r.reoffered, released: r.released, reconciled: drift.tickets, lost: drift.lost, discarded_events: drift.uncommitted, mismatches: r.mismatches, git: r.git },
        lines.join('\n'),
      );
    },
  },
  stop: {
    usage: 'Usage: orchestrate stop [--reason TEXT] [--id ID] [--json]',
    summary: 'stop the session for good (final); the state and log are kept',
    options: { ...ID, reason: { type: 'string' } },
    async run(ctx) {
      const s = await verbs.stop(ctx.store, await sessionOf(ctx), str(ctx.values, 'reason') ?? null);
      return print(ctx, { id: s.id, status: s.status, revision: s.revision }, sessionLine(s));
    },
  },
  export: {
    usage: 'Usage: orchestrate export [--log FILE] [--id ID] [--json]',
    summary: "print a session as the file store keeps it (YAML; --log FILE also writes its event log as JSONL)",
    details: 'The same YAML whichever store holds the session (files or PostgreSQL): to move a session, export it\nand `import-state` it where it should live. --json prints {state, events}.',
    options: { ...ID, log: { type: 'string' } },
    async run(ctx): Promise<ExitCode> {
      const { exportSession } = await import('../../runtime/transfer.ts');
      const x = await exportSession(ctx.store, await sessionOf(ctx));
      const log = str(ctx.values, 'log');
      if (log !== undefined) {
        try {
          (await import('../../util/atomic-write.ts')).writeFileAtomic(path.resolve(ctx.opts.cwd, log), x.jsonl);
        } catch (e) {
          const why = pathProblem((e as NodeJS.ErrnoException).code, true);
          if (why) throw usageError(this, `Cannot write --log \`${log}\`: ${why}; nothing was written`);
          throw e;
        }
      }
      if (ctx.json) return print(ctx, { state: x.state, events: x.events }, '');
      ctx.out.write(x.yaml);
      return 0;
    },
  },
  'import-state': {
    usage: 'Usage: orchestrate import-state FILE [--log LOG] [--json]',
    summary: 'create a session from a state file (from `export`, or .orchestration/sessions/ID.yaml) and its event log, in the store this call uses',
    details: 'LOG defaults to the log beside FILE in .orchestration/logs/. The log must hold every event 1…revision\n(run `resume` where the session lives first if it was cut). Refused when the session exists here.',
    positionals: 1,
    options: { log: { type: 'string' } },
    async run(ctx): Promise<ExitCode> {
      const file = ctx.positionals[0];
      if (file === undefined) throw usageError(this, 'Missing FILE');
      const log = str(ctx.values, 'log');
      const { importSession } = await import('../../runtime/transfer.ts');
      const r = await importSession(ctx.store, path.resolve(ctx.opts.cwd, file), log === undefined ? null : path.resolve(ctx.opts.cwd, log), ctx.store.display);
      return print(ctx, { ...r, store: ctx.store.backend.kind, location: ctx.store.backend.location }, `imported ${r.id} (revision ${r.revision}, ${r.events} events) into ${ctx.store.backend.location}`);
    },
  },
  sessions: {
    usage: 'Usage: orchestrate sessions [--json]',
    summary: 'list sessions (the current one is marked *)',
    options: {},
    async run(ctx) {
      const rows = await verbs.listSessions(ctx.store, await listSessionIds(ctx.store), await readCurrent(ctx.store));
      const text = rows.length === 0 ? 'no sessions' : rows.map((r) => `${r.current ? '*' : ' '} ${r.id}  ${r.status}  ${r.percentage}%  ${r.tickets} tickets  ${r.title}${r.error ? `  (${r.error})` : ''}`).join('\n');
      return print(ctx, { sessions: rows }, text);
    },
  },
};
