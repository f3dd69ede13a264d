import type { createColors } from 'picocolors';
import type { Resources } from '../resources.ts';
import { bar, formatBytes, formatPercent } from './format.ts';

/**
 * The machine part of the dashboard (seed 004's "Resource Utilization"): CPU load, memory and disk as bars
 * on a colour TTY, one `resources:` line in plain output. Pure: the figures come from `resourcesOf`
 * (`../resources.ts`), measured by the caller.
 */

/** The figures the dashboard shows: a subset of {@link Resources} (bytes; load averages per 1/5/15 min). */
export type MachineFigures = Pick<Resources, 'cpus' | 'loadavg' | 'memory' | 'disk' | 'io'>;

type Colors = ReturnType<typeof createColors>;

/** Cells of each bar. */
const BAR_WIDTH = 20;

/** CPU use as a percentage: the 1-minute load average over the cores (may exceed 100 when overloaded). */
export function cpuPercent(f: MachineFigures): number {
  return f.cpus > 0 ? ((f.loadavg[0] ?? 0) * 100) / f.cpus : 0;
}

function cpuText(f: MachineFigures): string {
  return `load ${f.loadavg[0] ?? 0} on ${f.cpus} core${f.cpus === 1 ? '' : 's'}`;
}

function ofText(part: { free_bytes: number; total_bytes: number }): string {
  return `${formatBytes(part.free_bytes)} free of ${formatBytes(part.total_bytes)}`;
}

function ioText(io: NonNullable<MachineFigures['io']>): string {
  return `${formatBytes(io.read_bytes)} read, ${formatBytes(io.written_bytes)} written since boot`;
}

/** Plain output: one line, e.g. `resources: cpu 26% (load 0.52 on 2 cores), memory 45% used (…), disk …`. */
export function resourceLine(f: MachineFigures): string {
  const parts = [
    `cpu ${formatPercent(cpuPercent(f))} (${cpuText(f)})`,
    `memory ${formatPercent(f.memory.used_percent)} used (${ofText(f.memory)})`,
    f.disk ? `disk ${formatPercent(f.disk.used_percent)} used (${ofText(f.disk)})` : 'disk unknown',
  ];
  if (f.io) parts.push(`disk I/O ${ioText(f.io)}`);
  return `resources: ${parts.join(', ')}`;
}

/**
 * Colour output: a heading and one bar per figure (green below 70 %, yellow below 90 %, red from 90 %), then
 * disk I/O as text when the machine reports it (a since-boot total has no percentage to draw).
 */
export function resourceBars(f: MachineFigures, c: Colors): string[] {
  const row = (label: string, percent: number, text: string): string => {
    const tint = percent >= 90 ? c.red : percent >= 70 ? c.yellow : c.green;
    return `   ${c.bold(label.padEnd(10))}${tint(bar(percent, BAR_WIDTH))} ${formatPercent(percent).padStart(6)}  ${text}`;
  };
  const lines = [c.bold('📈 Resource Utilization:'), row('CPU:', cpuPercent(f), cpuText(f)), row('Memory:', f.memory.used_percent, ofText(f.memory))];
  lines.push(f.disk ? row('Disk:', f.disk.used_percent, ofText(f.disk)) : `   ${c.bold('Disk:'.padEnd(10))}unknown`);
  if (f.io) lines.push(`   ${c.bold('Disk I/O:'.padEnd(10))}${ioText(f.io)}`);
  return lines;
}
