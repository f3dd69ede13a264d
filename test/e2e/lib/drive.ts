/**
 * The scripted model that exercises one command: it reads the expanded command body it receives, runs every
 * helper line in it as a Bash call (one per turn, the project state prepared for each line first), then
 * spawns the agents assigned to this command (one at a time, `run_in_background: false`); inside each
 * spawned agent it reads the agent's system prompt and runs every helper line in it the same way.
 */
import { assistantTurns, systemText, type Script } from '../stand-in/server.ts';
import { commandTurn, isSubagentRequest } from './inspect.ts';
import { extractHelperLines, fillPlaceholders, helperVerb } from './helper-lines.ts';
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

/** What a drive recorded; filled while Claude Code runs. */
export interface DriveLog {
  /** The expanded command body the model received (first main request). */
  commandBody: string | undefined;
  /** Helper lines found in the command body, in order. */
  commandLines: string[];
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
 * Builds the script.
 * With `skipUnfilled`, the model leaves out helper lines that still hold a `$N` (an optional argument the user
 * did not give; seen on 2.1.329: such a line reaches the model as written, and a Bash call containing `$0` is
 * denied with "A variable in this command can't be checked before it runs", whatever `allowed-tools` says).
 */
export function driveCommand(state: ProjectState, prefix: string, spawns: string[], skipUnfilled = false): { script: Script; log: DriveLog } {
  const log: DriveLog = { commandBody: undefined, commandLines: [], skipped: [], agentLines: new Map(), spawned: [], issued: [], errors: [] };
  let currentAgent: string | undefined;

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
      const all = cmd ? extractHelperLines(cmd.body, prefix) : [];
      log.commandLines = all.filter((l) => !(skipUnfilled && unfilled(l)));
      log.skipped = all.filter((l) => skipUnfilled && unfilled(l));
      commandSteps = batches(log.commandLines, prefix);
    }
    if (n < commandSteps.length) return runLines('command', commandSteps[n]!);
    const k = n - commandSteps.length;
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
