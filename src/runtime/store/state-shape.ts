import { SESSION_TRANSITIONS, TICKET_STATUSES as TICKET_STATUS_LIST, VALIDATION_LEVELS } from '../state.ts';

/**
 * A light structural check of a parsed state file (no zod: it runs when a hand-edited file is read, and the
 * helper must start fast). It checks what the helper relies on; extra keys a person added are allowed.
 */

/** One problem: where (a path into the document) and what. */
export interface ShapeProblem {
  path: (string | number)[];
  message: string;
}

const SESSION_STATUSES: readonly string[] = Object.keys(SESSION_TRANSITIONS);
const TICKET_STATUSES: readonly string[] = TICKET_STATUS_LIST;

/**
 * Returns every shape problem of `data` as a session state (empty when usable): top-level mapping; `id`,
 * `title` strings; `status` a session status; `revision` an integer >= 1; `agents` an integer >= 1;
 * `parallelism`, when present, an integer >= 1 (files written before it existed have none: that is fine);
 * `tickets` a list of mappings with string `id`, a ticket status, list `dependencies` and `files`;
 * `blockers` a list.
 */
export function checkStateShape(data: unknown): ShapeProblem[] {
  const out: ShapeProblem[] = [];
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return [{ path: [], message: 'Expected a mapping of session fields' }];
  const s = data as Record<string, unknown>;
  const str = (k: string) => {
    if (typeof s[k] !== 'string') out.push({ path: [k], message: `\`${k}\` must be a string` });
  };
  str('id');
  str('title');
  if (!SESSION_STATUSES.includes(s.status as string)) out.push({ path: ['status'], message: `\`status\` must be one of ${SESSION_STATUSES.map((x) => `\`${x}\``).join(', ')}` });
  if (!Number.isInteger(s.revision) || (s.revision as number) < 1) out.push({ path: ['revision'], message: '`revision` must be an integer >= 1' });
  if (!Number.isInteger(s.agents) || (s.agents as number) < 1) out.push({ path: ['agents'], message: '`agents` must be an integer >= 1' });
  if (s.parallelism !== undefined && (!Number.isInteger(s.parallelism) || (s.parallelism as number) < 1)) {
    out.push({ path: ['parallelism'], message: '`parallelism` must be an integer >= 1 (or absent: then `agents` is used)' });
  }
  if (s.settings !== undefined) {
    const st = s.settings as Record<string, unknown> | null;
    if (st === null || typeof st !== 'object' || Array.isArray(st)) out.push({ path: ['settings'], message: '`settings` must be a mapping' });
    else if (st.validation !== undefined && !VALIDATION_LEVELS.includes(st.validation as never)) {
      out.push({ path: ['settings', 'validation'], message: `\`settings.validation\` must be one of ${VALIDATION_LEVELS.map((x) => `\`${x}\``).join(', ')}` });
    }
  }
  if (!Array.isArray(s.blockers)) out.push({ path: ['blockers'], message: '`blockers` must be a list' });
  if (!Array.isArray(s.tickets)) {
    out.push({ path: ['tickets'], message: '`tickets` must be a list' });
    return out;
  }
  s.tickets.forEach((t, i) => {
    if (t === null || typeof t !== 'object' || Array.isArray(t)) {
      out.push({ path: ['tickets', i], message: 'Each ticket must be a mapping' });
      return;
    }
    const tk = t as Record<string, unknown>;
    if (typeof tk.id !== 'string') out.push({ path: ['tickets', i, 'id'], message: 'Ticket `id` must be a string' });
    if (!TICKET_STATUSES.includes(tk.status as string)) out.push({ path: ['tickets', i, 'status'], message: `Ticket \`status\` must be one of ${TICKET_STATUSES.map((x) => `\`${x}\``).join(', ')}` });
    for (const k of ['dependencies', 'files']) if (!Array.isArray(tk[k])) out.push({ path: ['tickets', i, k], message: `Ticket \`${k}\` must be a list` });
  });
  return out;
}
