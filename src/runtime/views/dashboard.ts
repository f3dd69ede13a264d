import { createColors } from 'picocolors';
import type { SessionState, StateEvent } from '../state.ts';
import { analyzeBlockers } from './blockers.ts';
import { agentRows, groupsOf, progressOf, sessionEta, type AgentRow } from './derive.ts';
import { bar, boxTable, columns, formatMinutes, formatPercent, formatTime, minutesBetween, round2, truncateVisible } from './format.ts';
import { printableData } from './printable.ts';
import { MAX_LAST_CELL } from './format.ts';
import { resourceBars, resourceLine, type MachineFigures } from './resource-bars.ts';

/**
 * How to render: `color` (a colour TTY: box drawing, colours, symbols) or plain lines (NO_COLOR or piped);
 * `width` in columns (the CLI passes the terminal's width, 80 when unknown) — colour output is fitted to
 * it; plain lines are never cut, since they go to logs, files and agents that need every id; `nowMs` epoch ms (the clock,
 * passed in so output is reproducible); `stallMinutes` for the blocker analysis (default 30); `resources`: the
 * machine's figures (`resourcesOf`), drawn as bars in colour mode and as one line in plain mode — left out,
 * the dashboard has no resource part.
 */
export interface DashboardOptions {
  readonly color: boolean;
  readonly width: number;
  readonly nowMs: number;
  readonly stallMinutes?: number;
  readonly resources?: MachineFigures;
}

/** Compresses sorted group numbers: `[2, 3, 4, 7]` → `2-4, 7`. */
function ranges(nums: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < nums.length; ) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
    out.push(i === j ? `${nums[i]}` : `${nums[i]}-${nums[j]}`);
    i = j + 1;
  }
  return out.join(', ');
}

function agentCells(r: AgentRow): string[] {
  const eta = r.etaMinutes !== null ? formatMinutes(r.etaMinutes) : r.status === 'stalled' ? 'lease expired' : '-';
  return [r.agent, r.ticket ?? '-', r.status, r.progress === null ? '-' : `${r.progress}%`, eta];
}

/**
 * The live dashboard (after seed 004's "Real-Time Dashboard" and seed 002's monitor): when the run started,
 * overall progress, active groups, running
 * agents, conflicts, ETA, a per-agent table (agent, ticket, status, progress, ETA), the machine's resources
 * when given, and the blockers.
 * Colour mode draws a box table; plain mode prints `key: value` lines and space-aligned columns only.
 * Pure: same state, events and options give the same text. Ends with a newline.
 */
export function renderDashboard(input: SessionState, inputEvents: readonly StateEvent[], options: DashboardOptions): string {
  const state = printableData(input, { maxLength: MAX_LAST_CELL });
  const events = printableData(inputEvents, { maxLength: MAX_LAST_CELL });
  const { nowMs } = options;
  const width = Math.max(40, Math.floor(options.width));
  const c = createColors(options.color);
  const p = progressOf(state);
  const eta = sessionEta(state, nowMs, events);
  const groups = groupsOf(state, nowMs);
  const rows = agentRows(state, nowMs, eta.pace, events);
  const running = rows.filter((r) => r.status === 'executing' || r.status === 'claimed');
  const analysis = analyzeBlockers(state, { nowMs, ...(options.stallMinutes !== undefined ? { stallMinutes: options.stallMinutes } : {}) });
  const conflicts = analysis.findings.filter((f) => f.kind === 'file-conflict' || f.kind === 'file-wait');
  const blockers = analysis.findings.filter((f) => f.kind !== 'file-conflict' && f.kind !== 'file-wait');
  const activeText = groups.active.length === 0 ? `0/${groups.groups.length}` : `${groups.active.length}/${groups.groups.length} (group${groups.active.length > 1 ? 's' : ''} ${ranges(groups.active)} executing)`;
  const etaText = p.completed === p.total ? 'done' : `${formatMinutes(eta.minutes)} (${eta.basis}, pace x${round2(eta.pace)})`;
  const runningText = `${running.length}/${state.agents}${running.length ? ` (${running.map((r) => r.agent).join(', ')})` : ''}`;
  const conflictText = conflicts.length === 0 ? '0' : `${conflicts.length} (${conflicts.filter((f) => f.severity === 'error').length} overlapping, ${conflicts.filter((f) => f.kind === 'file-wait').length} waiting for a file)`;
  const since = minutesBetween(state.started_at, nowMs);
  const startedText = state.started_at === null ? 'not yet (planned)' : `${formatTime(state.started_at)} UTC${since === null ? '' : ` (${formatMinutes(since)} ago)`}`;
  const header = ['agent', 'ticket', 'status', 'progress', 'ETA'];
  const tableRows = rows.map(agentCells);
  const lines: string[] = [];

  if (!options.color) {
    lines.push(`dashboard: ${state.title} (${state.id}) [${state.status}]`);
    lines.push(`started: ${startedText}`);
    lines.push(`progress: ${formatPercent(p.percentage)} (${p.completed}/${p.total} tickets; ${p.running} running, ${p.pending} pending, ${p.failed} failed, ${p.blocked} blocked)`);
    lines.push(`active groups: ${activeText}`);
    lines.push(`running agents: ${runningText}`);
    lines.push(`conflicts: ${conflictText}`);
    for (const f of conflicts) lines.push(`  ${f.severity} ${f.kind}: ${f.reason}`);
    lines.push(`eta: ${etaText}`);
    lines.push('agents:');
    if (rows.length === 0) lines.push('  (no agent has claimed a ticket yet)');
    else lines.push(...columns([header, ...tableRows]).map((l) => `  ${l}`));
    if (options.resources) lines.push(resourceLine(options.resources));
    lines.push(`blockers: ${blockers.length === 0 ? 'none' : blockers.length}`);
    for (const b of blockers) lines.push(`  ${b.severity} ${b.kind}: ${b.reason}`);
    return lines.join('\n') + '\n';
  }

  const rule = '═'.repeat(Math.min(width, 67));
  const label = (s: string): string => c.bold(s.padEnd(22));
  const statusColor = (s: string): string =>
    s === 'executing' || s === 'claimed' ? c.cyan(s) : s === 'completed' ? c.green(s) : s === 'failed' || s === 'stalled' ? c.red(s) : s === 'blocked' ? c.yellow(s) : s;
  lines.push(c.bold(`🎯 PARALLEL EXECUTION DASHBOARD · ${state.title} (${state.id})`));
  lines.push(rule);
  lines.push(`📅 ${label('Started:')}${startedText}`);
  lines.push(`📊 ${label('Execution Status:')}${formatPercent(p.percentage)} complete · ${state.status}`);
  lines.push(`   ${label('')}${c.green(bar(p.percentage, 20))}`);
  lines.push(`🎯 ${label('Active Groups:')}${activeText}`);
  lines.push(`🔄 ${label('Running Agents:')}${runningText}`);
  lines.push(`⚡ ${label('Completion Rate:')}${p.completed}/${p.total} tickets (${formatPercent(p.percentage)})${p.failed ? c.red(` · ${p.failed} failed`) : ''}${p.blocked ? c.yellow(` · ${p.blocked} blocked`) : ''}`);
  lines.push(`🚨 ${label('Active Conflicts:')}${conflicts.length ? c.yellow(conflictText) : conflictText}`);
  lines.push(`📈 ${label('ETA:')}${etaText}`);
  lines.push('');
  lines.push(c.bold('🤖 Agent Status Matrix:'));
  if (rows.length === 0) lines.push('   (no agent has claimed a ticket yet)');
  else {
    // Colour is applied after layout so escape codes do not count towards column widths.
    const table = boxTable(header, tableRows, width);
    lines.push(...table.map((l, i) => (i >= 3 && i < table.length - 1 ? l.replace(/\u2502 (executing|claimed|completed|failed|stalled|blocked)( *)\u2502/, (_m, s: string, pad: string) => `│ ${statusColor(s)}${pad}│`) : l)));
  }
  if (conflicts.length) {
    lines.push('', c.bold('🚨 File conflicts:'));
    for (const f of conflicts) lines.push(`   ${f.severity === 'error' ? c.red('overlap') : c.dim('waiting')}: ${f.reason}`);
  }
  if (options.resources) lines.push('', ...resourceBars(options.resources, c));
  lines.push('');
  if (blockers.length === 0) lines.push(`✅ ${c.bold('Blockers:')} none`);
  else {
    lines.push(`⚠️  ${c.bold(`Blockers (${blockers.length}):`)}`);
    for (const b of blockers) lines.push(`   ${b.severity === 'error' ? c.red(b.kind) : c.yellow(b.kind)}: ${b.reason}`);
  }
  return lines.map((l) => truncateVisible(l, width)).join('\n') + '\n';
}
