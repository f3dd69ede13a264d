import type { StateEvent } from '../state.ts';
import { columns, formatTime } from './format.ts';
import { printableData } from './printable.ts';

/** Default number of events `events` prints when `--tail` is not given. */
export const DEFAULT_TAIL = 20;

/** The text of an event's `data` worth showing: its reason / summary / note, else compact JSON (≤ 80 chars). */
function detail(data: Record<string, unknown> | undefined): string {
  if (!data) return '';
  for (const key of ['reason', 'summary', 'note', 'resolution']) {
    const v = data[key];
    if (typeof v === 'string' && v !== '') return `${key}: ${v}`;
  }
  const keys = Object.keys(data);
  if (keys.length === 0) return '';
  const json = JSON.stringify(data);
  return json.length > 80 ? `${json.slice(0, 79)}…` : json;
}

/** The last `tail` events (all when `tail` is 0 or negative), oldest first. */
export function tailEvents(events: readonly StateEvent[], tail: number = DEFAULT_TAIL): StateEvent[] {
  return tail > 0 ? events.slice(-tail) : [...events];
}

/**
 * `events [--tail N]` as aligned plain lines, oldest first:
 * `#12  2026-11-21 10:30:00  claim  MOD-001  agent-001  pending → claimed  reason: …`.
 * `-` stands for a missing agent or ticket. Ends with a newline; an empty log prints `no events`.
 */
export function formatEvents(events: readonly StateEvent[], tail: number = DEFAULT_TAIL): string {
  const shown = printableData(tailEvents(events, tail));
  if (shown.length === 0) return 'no events\n';
  const rows = shown.map((e) => [
    `#${e.seq}`,
    formatTime(e.time),
    e.verb,
    e.ticket ?? '-',
    e.agent ?? '-',
    e.before === null && e.after === null ? '' : `${e.before ?? '-'} → ${e.after ?? '-'}`,
    detail(e.data),
  ]);
  return columns(rows).join('\n') + '\n';
}
