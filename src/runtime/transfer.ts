import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ToolError } from '../diagnostics/errors.ts';
import type { SessionState, StateEvent } from './state.ts';
import { committedOnly, readEvents } from './store/event-log.ts';
import { loadYaml, parseSessionText, MAX_STATE_BYTES } from './store/session-file.ts';
import { checkSessionId, loadSession, readCommittedEvents, setCurrent, type Store } from './store/store.ts';
import { emitYaml } from './store/yaml-emit.ts';
import { pathProblem } from '../util/safe-path.ts';

/**
 * Moving a session between stores: `export` prints it as the file store keeps it (the same YAML, emitted by
 * the same code, and the same JSONL event lines), and `import-state` creates it, with its whole event log, in
 * the store the call uses — so a run started on files moves to PostgreSQL when it grows, and back.
 */

/** A session as the file store writes it: the state file's text and the log's lines. */
export interface ExportedSession {
  /** `.orchestration/sessions/<id>.yaml` as a plain (never hand-edited) state file. */
  yaml: string;
  /** `.orchestration/logs/<id>.jsonl`: one JSON event per line, committed events only. */
  jsonl: string;
  state: SessionState;
  events: StateEvent[];
}

/** Reads session `id` from `store` as {@link ExportedSession}. @throws ToolError `SessionNotFound`, `InvalidState`. */
export async function exportSession(store: Store, id: string): Promise<ExportedSession> {
  const { state } = await loadSession(store, id);
  const events = await readCommittedEvents(store, id);
  return { yaml: emitYaml(state as unknown as Record<string, unknown>), jsonl: events.map((e) => `${JSON.stringify(e)}\n`).join(''), state, events };
}

/** The log beside a state file in a `.orchestration/sessions/` folder (`../logs/<id>.jsonl`), when it exists. */
function siblingLog(file: string, id: string): string | null {
  const p = path.join(path.dirname(path.dirname(file)), 'logs', `${id}.jsonl`);
  return path.basename(path.dirname(file)) === 'sessions' && existsSync(p) ? p : null;
}

/**
 * Creates in `store` the session in state file `file` (YAML, as `export` prints or the file store keeps), with
 * the events of `logFile` (default: the log beside it in `.orchestration/logs/`), and points `current` at it.
 * `display` renders paths for messages. Returns the session id and how many events it carried.
 * @throws ToolError `InvalidState` (path:line:col) when the file is not a valid session; `InvalidArguments` when
 *   there is no log, or its events are not exactly seq 1…revision (repair it first with `resume` in the store
 *   it came from), or the session exists in `store`. Nothing is created then.
 */
export async function importSession(store: Store, file: string, logFile: string | null, display: (p: string) => string): Promise<{ id: string; events: number; revision: number }> {
  let text: string;
  try {
    // the size is checked before anything is read: a huge file is refused without loading it
    if (statSync(file).size > MAX_STATE_BYTES) throw new ToolError('FileTooLarge', `\`${display(file)}\` is larger than ${MAX_STATE_BYTES} bytes`);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const why = pathProblem((e as NodeJS.ErrnoException).code);
    if (why) throw new ToolError('InvalidArguments', `Cannot read the state file \`${display(file)}\`: ${why}`, { hint: 'Pass the YAML that `export` printed, or a `.orchestration/sessions/<id>.yaml`. Nothing was created.' });
    throw e;
  }
  const { state } = parseSessionText(display(file), text, await loadYaml());
  checkSessionId(state.id);
  if (logFile !== null && !existsSync(logFile)) throw new ToolError('InvalidArguments', `Cannot read --log \`${display(logFile)}\`: no such file`, { hint: 'Pass the `.orchestration/logs/<id>.jsonl` the session came with, or what `export --log` wrote. Nothing was created.' });
  const log = logFile ?? siblingLog(file, state.id);
  if (!log) {
    throw new ToolError('InvalidArguments', `No event log for session \`${state.id}\` beside \`${display(file)}\``, { hint: 'Pass --log FILE (the `.orchestration/logs/<id>.jsonl` it came with, or what `export --log` wrote). Nothing was created.' });
  }
  const events = committedOnly(readEvents(log, display).events, state.revision);
  const gap = events.findIndex((e, i) => e.seq !== i + 1);
  if (gap !== -1 || events.length !== state.revision) {
    throw new ToolError('InvalidArguments', `The log \`${display(log)}\` does not hold events 1…${state.revision} of session \`${state.id}\` (${gap !== -1 ? `seq ${events[gap]!.seq} at line ${gap + 1}` : `${events.length} events`})`, {
      hint: 'Run `orchestrate resume` on the session where it lives (it repairs the log), then export it again. Nothing was created.',
    });
  }
  await store.backend.create(state, events);
  await setCurrent(store, state.id);
  return { id: state.id, events: events.length, revision: state.revision };
}
