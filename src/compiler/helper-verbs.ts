/**
 * The runtime helper's verbs that a body may call through `{{orchestrate "VERB ..."}}` (docs/contracts.md
 * §5, "The runtime helper's command line"). A helper call with any other first word is a build error, so a
 * typo in a prompt is caught at build time instead of failing inside an agent's turn.
 */
export const HELPER_VERBS = [
  'activate', 'adjust', 'agents', 'block', 'blockers', 'claim', 'complete', 'consolidate', 'dashboard',
  'events', 'fail', 'heartbeat', 'init', 'pause', 'report', 'resources', 'resume', 'rollback', 'schedule',
  'sessions', 'status', 'stop', 'unblock', 'validate', 'next', 'retry', 'approve', 'reject', 'gate',
  'export', 'import-state',
] as const;
