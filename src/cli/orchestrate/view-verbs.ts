import { parseDurationMs } from '../../runtime/duration.ts';
import type { ExitCode } from '../io.ts';
import { loadSession, readCommittedEvents, storeNow } from '../../runtime/store/store.ts';
import { unmetRequirements } from '../../runtime/tickets.ts';
import * as verbs from '../../runtime/verbs.ts';
import { statusJson } from '../../runtime/progress.ts';
import { formatFlag, ID, intFlag, print, sessionOf, str, usageError, views, type Verb } from './verb.ts';

/** The read-only views of `orchestrate`: `status`, `blockers`, `dashboard`, `events`, `report`, `consolidate`, `agents`. */
export const VIEW_VERBS: Record<string, Verb> = {
  status: {
    usage: 'Usage: orchestrate status [--id ID] [--json]',
    summary: 'session status, progress and tickets',
    options: { ...ID },
    async run(ctx) {
      const id = await sessionOf(ctx);
      const s = (await loadSession(ctx.store, id)).state;
      const now = storeNow(ctx.store);
      if (ctx.json) {
        const waiting = s.tickets.filter((t) => t.status === 'pending' && t.requires?.length);
        if (waiting.length === 0) return print(ctx, statusJson(s), '');
        const { satisfiedRequirements } = await import('../../runtime/cross-session.ts');
        const met = await satisfiedRequirements(ctx.store, s);
        const external = waiting.map((t) => ({ ticket: t.id, waits_for: unmetRequirements(t, met) })).filter((w) => w.waits_for.length > 0);
        return print(ctx, { ...statusJson(s), waiting_on_sessions: external }, '');
      }
      const events = await ctx.store.backend.events(id, s.revision);
      const v = await views.status();
      return print(ctx, null, v.formatStatus(s, now, events));
    },
  },
  blockers: {
    usage: 'Usage: orchestrate blockers [--escalate] [--stall-minutes N] [--id ID] [--json]',
    summary: 'stalled tickets, failed dependencies, deadlock, file conflicts (--escalate records them; blocks the session only on an error)',
    details: 'With --escalate: every warning or error becomes a blocker (once: an open blocker for the same ticket\nand kind is reused) and is listed in the session\'s escalation. The session moves coordinating → blocked\nonly when a finding is an error (deadlock, two running tickets on one file); after a warning such as a\nfailed dependency it keeps coordinating, so other branches continue.',
    options: { ...ID, escalate: { type: 'boolean' }, 'stall-minutes': { type: 'string' } },
    async run(ctx) {
      const stallMinutes = intFlag(this, ctx.values, 'stall-minutes', 1, 100_000);
      const { blockers } = await import('../../runtime/escalate.ts');
      const r = await blockers(ctx.store, await sessionOf(ctx), { escalate: ctx.values.escalate === true, ...(stallMinutes !== undefined ? { stallMinutes } : {}) });
      const v = await views.blockers();
      let text = v.formatBlockers(r.analysis);
      if (r.escalated.length) {
        text += `escalated: ${r.escalated.join(', ')}${r.added.length < r.escalated.length ? ` (new: ${r.added.join(', ') || 'none'})` : ''}; session ${r.status}\n`;
      }
      return print(ctx, { ...r.analysis, escalated: r.escalated, added: r.added, session_status: r.status }, text);
    },
  },
  dashboard: {
    usage: 'Usage: orchestrate dashboard [--watch] [--interval 5s] [--id ID] [--json]',
    summary: 'progress dashboard with the machine\'s CPU, memory and disk (bars on a colour TTY; --watch redraws until the session ends or Ctrl-C)',
    details: 'Plain lines when piped or NO_COLOR is set (FORCE_COLOR=1 forces the colour form). --json prints the\nsession as `status --json` does, plus `resources` as `resources --json` does (one frame, no --watch).\n--interval: how often --watch redraws, from 1s to 1h (default 5s).',
    options: { ...ID, watch: { type: 'boolean' }, interval: { type: 'string' } },
    async run(ctx): Promise<ExitCode> {
      const intervalText = str(ctx.values, 'interval') ?? '5s';
      const interval = parseDurationMs(intervalText);
      // at most one redraw a second (0.01s would spin), at least one an hour; a typo is an error, not 5s
      if (interval === null || interval < 1000 || interval > 3_600_000) throw usageError(this, `Invalid --interval \`${intervalText}\`, expected a duration from \`1s\` to \`1h\` such as \`5s\``);
      const id = await sessionOf(ctx);
      const v = await views.dashboard();
      const { resourcesOf } = await import('../../runtime/resources.ts');
      const color = (await import('../io.ts')).useColor(ctx.out, ctx.env);
      const render = async () => {
        const s = (await loadSession(ctx.store, id)).state;
        const events = await ctx.store.backend.events(id, s.revision);
        const resources = resourcesOf(s, ctx.store.root, ctx.env);
        return { s, resources, text: v.renderDashboard(s, events, { color, width: ctx.out.columns ?? 80, nowMs: storeNow(ctx.store), resources }) };
      };
      if (ctx.json) {
        const { s, resources } = await render();
        return print(ctx, { ...statusJson(s), resources }, '');
      }
      if (ctx.values.watch !== true) {
        ctx.out.write((await render()).text);
        return 0;
      }
      // Redraw only on a TTY, and only when the frame changed; piped output gets one frame (views/watch.ts).
      const { runWatch } = await import('../../runtime/views/watch.ts');
      await runWatch({
        render: async () => {
          const { s, text } = await render();
          return { text, final: ['completed', 'failed', 'stopped'].includes(s.status) };
        },
        write: (text: string) => ctx.out.write(text),
        tty: ctx.out.isTTY === true,
        intervalMs: interval,
        sleep: (ms: number) => new Promise((r) => setTimeout(r, ms)),
      });
      return 0;
    },
  },
  events: {
    usage: 'Usage: orchestrate events [--tail N] [--id ID] [--json]',
    summary: 'the event log, oldest first (default: the last 20 events; --tail 0 for all)',
    options: { ...ID, tail: { type: 'string' } },
    async run(ctx) {
      const tail = intFlag(this, ctx.values, 'tail', 0, 1_000_000);
      const events = await readCommittedEvents(ctx.store, await sessionOf(ctx));
      const v = await views.events();
      const n = tail ?? v.DEFAULT_TAIL;
      return print(ctx, { events: v.tailEvents(events, n) }, v.formatEvents(events, n));
    },
  },
  report: {
    usage: 'Usage: orchestrate report [--format markdown|json] [--id ID] [--json]',
    summary: 'completion summary: totals, per priority, durations, failures, parallelism',
    options: { ...ID, format: { type: 'string' } },
    async run(ctx): Promise<ExitCode> {
      const format = formatFlag(this, ctx);
      const id = await sessionOf(ctx);
      const s = (await loadSession(ctx.store, id)).state;
      const events = await ctx.store.backend.events(id, s.revision);
      const v = await views.report();
      const r = v.completionReport(s, events, storeNow(ctx.store));
      ctx.out.write(format === 'json' ? `${JSON.stringify(r, null, 2)}\n` : v.renderReportMarkdown(r));
      return 0;
    },
  },
  consolidate: {
    usage: 'Usage: orchestrate consolidate [--format markdown|json] [--id ID] [--json]',
    summary: "the agents' result summaries and evidence merged, by dependency group",
    options: { ...ID, format: { type: 'string' } },
    async run(ctx): Promise<ExitCode> {
      const format = formatFlag(this, ctx);
      const s = (await loadSession(ctx.store, await sessionOf(ctx))).state;
      const v = await views.consolidate();
      const r = v.consolidate(s);
      ctx.out.write(format === 'json' ? `${JSON.stringify(r, null, 2)}\n` : v.renderConsolidatedMarkdown(r));
      return 0;
    },
  },
  agents: {
    usage: 'Usage: orchestrate agents [--agent NAME] [--id ID] [--json]',
    summary: 'per-agent status: host, working/idle, tickets, completed, last heartbeat, lease',
    options: { ...ID, agent: { type: 'string' } },
    async run(ctx) {
      const id = await sessionOf(ctx);
      const s = (await loadSession(ctx.store, id)).state;
      const rows = verbs.agentsOf(s, storeNow(ctx.store), str(ctx.values, 'agent'), verbs.claimHosts(await ctx.store.backend.events(id, s.revision)));
      const { printable } = await import('../../runtime/views/printable.ts');
      const only = str(ctx.values, 'agent');
      const text = rows.length === 0 ? (only === undefined ? 'no agents yet' : `no agent \`${only}\` in session ${s.id} (\`agents\` without --agent lists them)`) : rows.map((a) => `${printable(a.agent)}${a.host ? ` @${printable(a.host)}` : ''}  ${a.status}${a.tickets.length ? ` ${a.tickets.join(',')}` : ''}  completed ${a.completed}  failed ${a.failed}  last ${a.last_heartbeat ?? '-'}${a.lease_expired ? '  LEASE EXPIRED' : ''}`).join('\n');
      return print(ctx, { agents: rows }, text);
    },
  },
};
