/**
 * A scripted model that carries out a whole run of an execution command (`/execute-parallel-plan PLAN`,
 * `/orchestrate:execute PLAN`) the way its body tells it to, using only the helper lines written in the
 * body it receives and in the spawned agents' prompts:
 *
 * main session: `validate` → `init` → `activate` → waves of [one `claim` per worker, all in one message →
 * one `Agent` call per claimed ticket, all in one message (parallel) → `status --json`] until the status is
 * `completed` → `report`.
 * each agent: `heartbeat` → (the test commits a file for it, standing in for the agent's own edits) →
 * `complete` with that commit → its result block.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { assistantTurns, contentText, resultsOfLastTurn, systemText, type Block, type MessagesBody, type Script } from '../stand-in/server.ts';
import { commandTurn, isSubagentRequest } from './inspect.ts';
import { extractHelperLines, fillPlaceholders, helperVerb, type FillValues } from './helper-lines.ts';
import { say } from './script.ts';

/** What the full run did (for the assertions and the failure messages). */
export interface FullRunLog {
  waves: Array<{ claimed: string[]; agents: string[] }>;
  /** Per ticket: the agent name given in its spawn prompt and the commit made for it. */
  tickets: Map<string, { agent: string; subagentType: string; sha?: string }>;
  errors: string[];
  finalStatus: unknown;
  reportOutput: string | undefined;
  done: boolean;
}

interface Claimed {
  id: string;
  title: string;
  files: string[];
  acceptance: string[];
  agent_type?: string | null;
}

let seq = 0;
function call(name: string, input: Record<string, unknown>): Block & { id: string } {
  return { type: 'tool_use', name, input, id: `toolu_full_${String(++seq).padStart(6, '0')}` };
}

function firstLine(lines: string[], prefix: string, verb: string, extra?: (l: string) => boolean): string | undefined {
  return lines.find((l) => helperVerb(l, prefix) === verb && (extra ? extra(l) : true));
}

function parseJson<T>(text: string): T | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  try {
    return JSON.parse(text.slice(start)) as T;
  } catch {
    return undefined;
  }
}

/**
 * @param project the project folder (git repository) — for the stand-in commits.
 * @param prefix helper prefix as prompts show it.
 * @param workers worker count per wave (the plan's `agents`).
 * @param spawnNames built agent spawn names (to pick `test-developer` for tickets of that type).
 */
export function fullRunModel(project: string, prefix: string, workers: number, spawnNames: string[]): { script: Script; log: FullRunLog } {
  const log: FullRunLog = { waves: [], tickets: new Map(), errors: [], finalStatus: undefined, reportOutput: undefined, done: false };
  let lines: string[] = [];
  let body = '';
  let phase: 'validate' | 'init' | 'activate' | 'claim' | 'spawn' | 'status' | 'check' | 'report' | 'end' = 'validate';
  const values: FillValues = { plan: 'plan.yaml', ticket: '', agent: '', sessionId: '', sha: '', files: '' };
  const fill = (line: string, v: Partial<FillValues> = {}) => fillPlaceholders(line, { ...values, ...v }, prefix);
  const bashCall = (command: string) => call('Bash', { command, description: 'Run the orchestration helper' });
  const fail = (msg: string) => {
    log.errors.push(msg);
    phase = 'end';
    return say(`stopping: ${msg}`);
  };

  const mainTurn = (req: MessagesBody) => {
    if (assistantTurns(req) === 0) {
      const turn = commandTurn(req);
      if (!turn) return fail('the command did not reach the model');
      body = turn.body;
      lines = extractHelperLines(body, prefix);
      values.plan = turn.args.split(/\s+/)[0] || 'plan.yaml';
    }
    const results = resultsOfLastTurn(req);
    for (;;) {
      switch (phase) {
        case 'validate': {
          phase = 'init';
          const v = firstLine(lines, prefix, 'validate');
          if (v) return { blocks: [bashCall(fill(v))] };
          continue;
        }
        case 'init': {
          phase = 'activate';
          const v = firstLine(lines, prefix, 'init');
          if (!v) return fail('no init line in the command body');
          return { blocks: [bashCall(fill(v))] };
        }
        case 'activate': {
          phase = 'claim';
          const v = firstLine(lines, prefix, 'activate');
          if (!v) return fail('no activate line in the command body');
          return { blocks: [bashCall(fill(v))] };
        }
        case 'claim': {
          const v = firstLine(lines, prefix, 'claim');
          if (!v) return fail('no claim line in the command body');
          phase = 'spawn';
          return { blocks: Array.from({ length: workers }, (_x, i) => bashCall(fill(v, { agent: `worker-${i + 1}` }))) };
        }
        case 'spawn': {
          const claimed: Array<{ ticket: Claimed; agent: string }> = [];
          results.forEach((r, i) => {
            const out = parseJson<{ ticket: Claimed | null }>(contentText([r]));
            if (out?.ticket) claimed.push({ ticket: out.ticket, agent: `worker-${i + 1}` });
          });
          if (claimed.length === 0) return fail(`nothing claimable while not completed: ${results.map((r) => contentText([r])).join(' | ').slice(0, 800)}`);
          // The spawn block for ticket workers: the one whose prompt names `<TICKET>` (a body may also spawn
          // monitors or validators, which this model leaves out).
          const spawnBlocks = [...body.matchAll(/subagent_type:\s*"([^"]+)"[\s\S]*?<agent-prompt>\n([\s\S]*?)<\/agent-prompt>/g)].map((m) => ({ type: m[1]!, prompt: m[2]! }));
          const worker = spawnBlocks.find((b) => b.prompt.includes('<TICKET>'));
          if (!worker) return fail(`no spawn block with a <TICKET> prompt in the command body (spawn blocks: ${spawnBlocks.map((b) => b.type).join(', ')})`);
          const defaultType = worker.type;
          const testDev = spawnNames.find((n) => n === 'test-developer' || n.endsWith(':test-developer'));
          const template = worker.prompt;
          const blocks = claimed.map(({ ticket, agent }) => {
            const subagentType = ticket.agent_type === 'test-developer' && testDev ? testDev : defaultType;
            log.tickets.set(ticket.id, { agent, subagentType });
            const prompt = template
              .replace(/<TICKET>/g, ticket.id)
              .replace(/<TITLE>/g, ticket.title)
              .replace(/worker-<N>/g, agent)
              .replace(/<FILES>/g, ticket.files.join(','))
              .replace(/<ACCEPTANCE>/g, ticket.acceptance.join('; '))
              .replace(/<VALIDATION>/g, 'standard');
            return call('Agent', { description: `Implement ticket ${ticket.id}`, prompt, subagent_type: subagentType, run_in_background: false });
          });
          log.waves.push({ claimed: claimed.map((c) => c.ticket.id), agents: claimed.map((c) => c.agent) });
          phase = 'status';
          return { blocks };
        }
        case 'status': {
          const v = firstLine(lines, prefix, 'status', (l) => l.includes('--json') && !l.includes('--id'));
          if (!v) return fail('no `status --json` line in the command body');
          phase = 'check';
          return { blocks: [bashCall(fill(v))] };
        }
        case 'check': {
          const status = parseJson<{ status: string; progress: { percentage: number } }>(contentText(results));
          log.finalStatus = status;
          if (!status) return fail(`status --json did not print JSON: ${contentText(results).slice(0, 500)}`);
          if (status.status === 'completed') {
            phase = 'report';
            const v = firstLine(lines, prefix, 'report');
            if (!v) return fail('no report line in the command body');
            return { blocks: [bashCall(fill(v))] };
          }
          if (log.waves.length >= 20) return fail('more than 20 waves');
          phase = 'claim';
          continue;
        }
        case 'report':
          log.reportOutput = contentText(results);
          log.done = true;
          phase = 'end';
          return say('Run complete.');
        case 'end':
          return say('done');
      }
    }
  };

  const agentTurn = (req: MessagesBody) => {
    const n = assistantTurns(req);
    const prompt = req.messages.filter((m) => m.role === 'user').map((m) => contentText(m.content)).join('\n');
    const m = /Ticket ([A-Za-z0-9._-]+):[\s\S]*?agent name: (worker-\d+)/.exec(prompt);
    if (!m) return say('ticket: unknown\nstatus: failed');
    const [, ticket, agent] = m as unknown as [string, string, string];
    const agentLines = extractHelperLines(systemText(req), prefix);
    const v: Partial<FillValues> = { ticket, agent };
    if (n === 0) {
      const hb = firstLine(agentLines, prefix, 'heartbeat');
      if (hb) return { blocks: [bashCall(fill(hb, v))] };
    }
    if (n <= 1 && !log.tickets.get(ticket)?.sha) {
      // The agent's own edits and commit (not what this suite tests): the test makes the commit for it.
      const file = path.join(project, 'src', `${ticket}.txt`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${ticket} done by ${agent}\n`);
      const git = (...args: string[]) => execFileSync('git', args, { cwd: project, encoding: 'utf8', stdio: 'pipe' }).trim();
      git('add', path.relative(project, file));
      git('commit', '-q', '-m', `${ticket}: e2e`);
      const sha = git('rev-parse', 'HEAD');
      log.tickets.get(ticket)!.sha = sha;
      const done = firstLine(agentLines, prefix, 'complete', (l) => !l.includes('--verify'));
      if (!done) {
        log.errors.push(`agent prompt of ${ticket} has no complete line`);
        return say(`ticket: ${ticket}\nstatus: failed`);
      }
      return { blocks: [bashCall(fill(done, { ...v, sha, files: path.relative(project, file) }))] };
    }
    return say(`ticket: ${ticket}\nstatus: completed\ncommit: ${log.tickets.get(ticket)?.sha ?? 'none'}\ntests: true exit 0\nsummary: e2e`);
  };

  const script: Script = (req) => {
    if ((req.tools?.length ?? 0) === 0) return say('e2e');
    return isSubagentRequest(req) ? agentTurn(req) : mainTurn(req);
  };
  return { script, log };
}
