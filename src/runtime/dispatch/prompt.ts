import type { SessionState, TicketState, ValidationLevel } from '../state.ts';

/**
 * The prompts `next` gives spawned agents (docs/contracts.md §6): data only — what the ticket is, who the agent
 * is, what the validation level asks for, and what went wrong last time. The agent's own body (its system
 * prompt, built from `agents/*.md`) holds the helper lines; these prompts fill in their values. One line per
 * fact, so a prompt costs about 60–120 tokens.
 */

const VALIDATION_NOTE: Record<ValidationLevel, string> = {
  standard: 'standard (give --commit and the test result when you have them)',
  strict: 'strict (complete with --commit SHA --verify: the commit may change only the files above; the helper re-runs the test command)',
  comprehensive: 'comprehensive (as strict; a reviewer then approves or rejects the ticket)',
};

/**
 * Agent-tool description: `worker-2:MOD-001 Extract tokenizer into its` — at most 5 words (the tool asks for
 * 3-5), starting with `WORKER:TICKET`, the word the coordinator passes to `next --returned` when the agent's
 * `<task-notification>` (whose summary quotes the description) arrives. `verb` (e.g. `review`) follows it.
 */
export function spawnDescription(worker: string, ticket: TicketState, verb?: string): string {
  const words = ticket.title.split(/\s+/).filter(Boolean);
  const head = [`${worker}:${ticket.id}`, ...(verb ? [verb] : [])];
  return [...head, ...words.slice(0, 5 - head.length)].join(' ');
}

/** Joins a list for a prompt line, or `none`. */
function listOf(items: readonly string[], sep = ', '): string {
  return items.length ? items.join(sep) : 'none';
}

/**
 * The prompt of a worker spawned for `ticket`: session id, ticket, title, worker name, files, acceptance,
 * validation level, the previous attempt's failure reason or the reviewer's notes, and the flags every helper
 * call must carry.
 */
export function workerPrompt(state: SessionState, ticket: TicketState, worker: string, validation: ValidationLevel): string {
  const lines = [
    `Session: ${state.id}`,
    `Ticket: ${ticket.id} — ${ticket.title}`,
    `Your agent name: ${worker}`,
    `Files: ${listOf(ticket.files)}`,
    `Acceptance: ${listOf(ticket.acceptance, '; ')}`,
    `Validation: ${VALIDATION_NOTE[validation]}`,
  ];
  if (ticket.review_notes) lines.push(`Reviewer asked for changes: ${ticket.review_notes}`);
  else if (ticket.failure_reason && ticket.attempts > 1) lines.push(`Previous attempt failed: ${ticket.failure_reason}`);
  lines.push(`Pass --id ${state.id} --agent ${worker} --ticket ${ticket.id} to every helper call. Return your result block.`);
  return lines.join('\n');
}

/** The prompt of a reviewer spawned for a ticket in `review`. */
export function reviewPrompt(state: SessionState, ticket: TicketState, reviewer: string): string {
  const ev = ticket.evidence;
  return [
    `Session: ${state.id}`,
    `Review ticket: ${ticket.id} — ${ticket.title} (done by ${ticket.agent ?? 'unknown'})`,
    `Your agent name: ${reviewer}`,
    `Commits: ${listOf(ev?.commits.map((c) => c.slice(0, 12)) ?? [])}. Files: ${listOf(ev?.files ?? ticket.files)}. Tests: ${ev?.test_cmd ? `${ev.test_cmd} exit ${ev.test_exit}` : 'none given'}`,
    `Acceptance: ${listOf(ticket.acceptance, '; ')}`,
    `Summary: ${ticket.summary ?? 'none'}`,
    `Pass --id ${state.id} --agent ${reviewer} to every helper call; end with approve or reject for ${ticket.id}.`,
  ].join('\n');
}
