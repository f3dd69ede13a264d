/**
 * Which runtime-helper calls change something (docs/contracts.md §5): the orchestration state under
 * `.orchestration/` (a session, a ticket, the event log), the agents that run, or git (`rollback` reverts
 * commits). A command or skill that makes such a call should not be started by the model on its own
 * (`disable-model-invocation: true`); the others only read (`status`, `dashboard`, `report`, ...).
 * Includes the dispatcher's verbs (`next`, `retry`, `approve`, `reject`, `gate`).
 */
export const STATE_CHANGING_VERBS: readonly string[] = [
  'activate', 'adjust', 'approve', 'block', 'claim', 'complete', 'fail', 'gate', 'heartbeat', 'init', 'next', 'pause',
  'reject', 'resume', 'retry', 'rollback', 'stop', 'unblock',
];

/**
 * True when the helper arguments `args` (the words after `orchestrate.mjs`, e.g. `pause --reason x`) change
 * state: a verb of {@link STATE_CHANGING_VERBS}, or `blockers --escalate` (records blockers, may block the
 * session). Read-only verbs and unknown words give false.
 */
export function changesState(args: string): boolean {
  const words = args.trim().split(/\s+/);
  const verb = words[0] ?? '';
  return STATE_CHANGING_VERBS.includes(verb) || (verb === 'blockers' && words.includes('--escalate'));
}

/** The helper arguments of a call line (`node …/scripts/orchestrate.mjs pause --reason x` → `pause --reason x`). */
export function helperArgs(call: string): string {
  const at = call.indexOf('orchestrate.mjs');
  return at === -1 ? '' : call.slice(at + 'orchestrate.mjs'.length).trim();
}
