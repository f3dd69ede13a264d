import type { NextResult } from './next.ts';

/**
 * `next` without `--json`: one line per action, for people (the model reads `--json`).
 * Example: `spawn worker-1 → MOD-001 (implementation-agent)`, `wait: worker-1 MOD-001, worker-2 MOD-003`.
 */
export function formatNext(r: NextResult): string {
  const p = r.progress;
  const lines = [`${r.session}: ${r.status}, ${p.completed}/${p.total} completed, ${p.running} running${p.review ? `, ${p.review} in review` : ''}${p.failed ? `, ${p.failed} failed` : ''}`];
  for (const a of r.actions) {
    switch (a.do) {
      case 'spawn':
      case 'review':
        lines.push(`${a.do} ${a.worker} → ${a.ticket} (${a.subagent_type})${a.fallback ? ` instead of ${a.fallback.wanted}: ${a.fallback.reason}` : ''}`);
        break;
      case 'wait':
        lines.push(`wait: ${a.running.map((x) => `${x.worker} ${x.ticket}`).join(', ') || 'nothing running'}${a.waiting_on ? `; waiting on other sessions: ${a.waiting_on.join(', ')}` : ''}`);
        break;
      case 'report':
        lines.push(`report: session ${a.status}`);
        break;
      case 'escalate':
        lines.push(`escalate: ${a.reason}${a.blockers.length ? ` (blockers ${a.blockers.map((b) => b.id).join(', ')})` : ''}`);
        break;
      case 'stopped':
        lines.push(`stopped: ${a.status} (${a.reason})`);
        break;
    }
  }
  return lines.join('\n');
}
