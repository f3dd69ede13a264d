/**
 * The scripted model that exercises one command: it reads the expanded command body it receives — and, for a
 * skill, first reads every reference file the body links (all in one message, with Read, as a model whose
 * condition holds would) — runs every helper line of the body and of those files as a Bash call (one per turn,
 * the project state prepared for each line first), then
 * spawns the agents assigned to this command (one at a time, `run_in_background: false`); inside each
 * spawned agent it reads the agent's system prompt and runs every helper line in it the same way.
 */
import path from 'node:path';
import { assistantTurns, contentText, systemText, type ContentBlock, type Script } from '../stand-in/server.ts';
import { commandTurn, isSubagentRequest } from './inspect.ts';
import { expandBody } from './args.ts';
import { collapseRoot, extractHelperLines, fillPlaceholders, helperVerb } from './helper-lines.ts';
import { agent, bash, say } from './script.ts';
import type { ProjectState } from './state.ts';

/** One helper line the scripted model ran. */
export interface IssuedLine {
  /** `command` for the command's own turn, else the agent's spawn name. */
  from: string;
  /** The line as written in the prompt the model received. */
  written: string;
  /** The line as run (placeholders filled). */
  run: string;
}

/** Verbs that only read the state: consecutive ones run as one batch of Bash calls in one turn. */
const READ_ONLY = new Set(['status', 'schedule', 'validate', 'dashboard', 'events', 'agents', 'report', 'consolidate', 'resources', 'sessions', 'blockers']);

/** Groups helper lines into turns: consecutive read-only lines (without `--escalate`) together, every other line alone. */
export function batches(lines: string[], prefix: string): string[][] {
  const out: string[][] = [];
  for (const line of lines) {
    const ro = READ_ONLY.has(helperVerb(line, prefix)) && !line.includes('--escalate') && !line.includes('--watch');
    const last = out[out.length - 1];
    if (ro && last && last.every((l) => READ_ONLY.has(helperVerb(l, prefix)) && !l.includes('--escalate'))) last.push(line);
    else out.push([line]);
  }
  return out;
}

/**
 * A link to a reference file in a skill body, as the compiler writes it (src/compiler/render.ts):
 * `Read [F.md](F.md) (in this skill's folder) when WHEN.`, in a plugin with `; in it, \`<PLUGIN_ROOT>\` is \`ROOT\``
 * before the full stop (ROOT as Claude Code substituted `${CLAUDE_PLUGIN_ROOT}`).
 */
export interface ReferenceLink {
  file: string;
  when: string;
  /** The value of `<PLUGIN_ROOT>` in the file, when the link gives one. */
  root: string | undefined;
}

/** Every reference link in `body` (see {@link ReferenceLink}), in order. */
export function referenceLinks(body: string): ReferenceLink[] {
  const re = /^Read \[([a-z0-9-]+\.md)\]\(\1\) \(in this skill's folder\) when (.*?)(?:; in it, `<PLUGIN_ROOT>` is `([^`]*)`)?\.$/gm;
  return [...body.matchAll(re)].map((m) => ({ file: m[1]!, when: m[2]!, root: m[3] }));
}

/** A reference file's text as the model can act on it: `<PLUGIN_ROOT>` replaced by the value its link gives. */
export function referenceText(text: string, link: ReferenceLink): string {
  return link.root === undefined ? text : text.split('<PLUGIN_ROOT>').join(link.root);
}

/**
 * The file content of a Read tool_result: Claude Code numbers each line (`     1\tline` or `1→line`; both
 * forms accepted) and may append a `<system-reminder>`; both are removed.
 */
export function readResultText(block: ContentBlock): string {
  return contentText([block])
    .replace(/\n*<system-reminder>[\s\S]*?<\/system-reminder>\s*/g, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\d+(?:→|\t)/, ''))
    .join('\n');
}

/** One reference file the scripted model read: where, with which tool_use id, and the tool_result it got. */
export interface ReferenceRead {
  link: ReferenceLink;
  path: string;
  id: string;
  result: ContentBlock | undefined;
}

/** What a drive recorded; filled while Claude Code runs. */
export interface DriveLog {
  /** The expanded command body the model received (first main request). */
  commandBody: string | undefined;
  /** Helper lines found in the command body and then in the reference files read, in order (each once). */
  commandLines: string[];
  /** The reference files the body links, read in the command's first turn (skills only). */
  references: ReferenceRead[];
  /** Lines of the command body left out because an argument the user did not give is still `$N` in them. */
  skipped: string[];
  /** Helper lines found in each spawned agent's system prompt, by spawn name. */
  agentLines: Map<string, string[]>;
  /** Agent spawn names requested, in order. */
  spawned: string[];
  issued: IssuedLine[];
  /** Errors raised while preparing state (a failing preparation is a test failure, not a model turn). */
  errors: string[];
}

/**
 * @param state the project state preparer (helper of the target under test).
 * @param prefix the helper prefix as it appears in prompts (`node .claude/scripts/orchestrate.mjs`, or the
 *   plugin's absolute path after `${CLAUDE_PLUGIN_ROOT}` substitution).
 * @param spawns agent spawn names to spawn from this command (after its helper lines).
 */
/** True when a line still holds an argument placeholder (`$0`, `$ARGUMENTS[1]`): the user did not give that argument. */
export function unfilled(line: string): boolean {
  return /\$(\d|ARGUMENTS)/.test(line);
}

/**
 * The helper lines of `body` that hold an argument missing from `args`, as the client under test sends them
 * (`$N` kept or emptied, args.ts): found on the as-written expansion, taken from the client's by position.
 * @throws Error when the two expansions give different numbers of lines (two lines merged once emptied).
 */
export function missingArgumentLines(body: string, args: string[], root: string, prefix: string): Set<string> {
  const written = extractHelperLines(expandBody(body, args, root, true), prefix);
  const sent = extractHelperLines(expandBody(body, args, root), prefix);
  if (written.length !== sent.length) throw new Error(`helper lines differ once missing arguments are emptied:\n${written.join('\n')}\nvs\n${sent.join('\n')}`);
  return new Set(sent.filter((_l, i) => unfilled(written[i]!)));
}

/**
 * Builds the script.
 * `skip`: the helper lines (as the model receives them, `//scripts/` collapsed) the model leaves out because they
 * hold an optional argument the user did not give — the prose says what to do then; on 2.1.329 such a line
 * still holds `$N` (a Bash call containing `$0` is denied with "A variable in this command can't be checked
 * before it runs", whatever `allowed-tools` says), on 2.1.197 an empty `""` ({@link missingArgumentLines}).
 */
export function driveCommand(state: ProjectState, prefix: string, spawns: string[], skip: ReadonlySet<string> = new Set()): { script: Script; log: DriveLog } {
  const log: DriveLog = { commandBody: undefined, commandLines: [], references: [], skipped: [], agentLines: new Map(), spawned: [], issued: [], errors: [] };
  let currentAgent: string | undefined;
  let bodyLines: string[] = [];
  let readTurns = 0;
  const setLines = (all: string[]) => {
    log.commandLines = all.filter((l) => !skip.has(collapseRoot(l)));
    log.skipped = all.filter((l) => skip.has(collapseRoot(l)));
    commandSteps = batches(log.commandLines, prefix);
  };

  const runLines = (from: string, written: string[]) => {
    try {
      const values = state.prepare(written[0]!, prefix);
      const blocks = written.map((w) => {
        const run = fillPlaceholders(w, values, prefix);
        log.issued.push({ from, written: w, run });
        return bash(run);
      });
      return { blocks };
    } catch (err) {
      log.errors.push(`${from}: ${written.join('; ')}\n${(err as Error).message}`);
      return say('state preparation failed');
    }
  };
  let commandSteps: string[][] = [];
  const agentSteps = new Map<string, string[][]>();

  const script: Script = (body) => {
    if ((body.tools?.length ?? 0) === 0) return say('e2e');
    const n = assistantTurns(body);
    if (isSubagentRequest(body)) {
      const name = currentAgent ?? 'unknown-agent';
      if (!log.agentLines.has(name)) {
        log.agentLines.set(name, extractHelperLines(systemText(body), prefix));
        agentSteps.set(name, batches(log.agentLines.get(name)!, prefix));
      }
      const steps = agentSteps.get(name)!;
      return n < steps.length ? runLines(name, steps[n]!) : say('ticket: done\nstatus: completed');
    }
    if (n === 0) {
      const cmd = commandTurn(body);
      log.commandBody = cmd?.body;
      bodyLines = cmd ? extractHelperLines(cmd.body, prefix) : [];
      // A skill's folder comes first (`Base directory for this skill: DIR`, seen on 2.1.329 and 2.1.197).
      const base = /^Base directory for this skill: ([^\n]*)\n/.exec(cmd?.body ?? '')?.[1];
      const links = base ? referenceLinks(cmd!.body) : [];
      if (links.length > 0) {
        readTurns = 1;
        log.references = links.map((link, i) => ({ link, path: path.join(base!, link.file), id: `toolu_e2e_ref_${i}_${link.file.replace(/\W/g, '_')}`, result: undefined }));
        return { blocks: log.references.map((r) => ({ type: 'tool_use' as const, id: r.id, name: 'Read', input: { file_path: r.path } })) };
      }
      setLines(bodyLines);
    }
    if (n === 1 && readTurns === 1) {
      const results = body.messages.flatMap((m) => (m.role === 'user' && typeof m.content !== 'string' ? m.content : [])).filter((b) => b.type === 'tool_result');
      for (const r of log.references) r.result = results.find((b) => b.tool_use_id === r.id);
      const fromFiles = log.references.flatMap((r) => (r.result && !r.result.is_error ? extractHelperLines(referenceText(readResultText(r.result), r.link), prefix) : []));
      setLines([...new Set([...bodyLines, ...fromFiles])]);
    }
    const m = n - readTurns;
    if (m < commandSteps.length) return runLines('command', commandSteps[m]!);
    const k = m - commandSteps.length;
    if (k < spawns.length) {
      currentAgent = spawns[k]!;
      log.spawned.push(currentAgent);
      const ticket = state.firstReadyTicket();
      return { blocks: [agent(currentAgent, `Ticket ${ticket}: e2e. Your agent name: worker-1. Files: e2e/file.txt. Validation: standard. Return your result block.`, 'Implement one ticket', false)] };
    }
    return say('done');
  };
  return { script, log };
}
