/**
 * Building blocks for scripted models: tool calls in Claude Code's input shapes (seen on 2.1.329: `Bash`
 * takes `command` and `description`; `Agent` takes `description`, `prompt`, `subagent_type`), and a script
 * that plays fixed batches of tool calls per conversation.
 */
import { assistantTurns, systemText, type Block, type MessagesBody, type Script, type Turn } from '../stand-in/server.ts';
import { isSubagentRequest } from './inspect.ts';

/** A `Bash` tool call. */
export function bash(command: string, description = 'Run the orchestration helper'): Block {
  return { type: 'tool_use', name: 'Bash', input: { command, description } };
}

/**
 * An `Agent` tool call (the spawn). `background: false` sets `run_in_background: false`, so the parent waits
 * for the agent's result (seen on 2.1.329: agents run in the background by default).
 */
export function agent(subagentType: string, prompt: string, description = 'Run pack agent', background?: boolean): Block {
  const input: Record<string, unknown> = { description, prompt, subagent_type: subagentType };
  if (background !== undefined) input.run_in_background = background;
  return { type: 'tool_use', name: 'Agent', input };
}

/** A plain text reply (ends the turn). */
export function say(text: string): Turn {
  return { blocks: [{ type: 'text', text }] };
}

/**
 * A script that plays `batches[n]` as the n-th assistant turn of a conversation, then ends with a text.
 * @param main batches for the main session (turn n = the n-th assistant message).
 * @param sub batches for a subagent conversation, chosen from its system prompt (return `[]` for none).
 */
export function batchScript(main: Block[][], sub: (system: string, body: MessagesBody) => Block[][] = () => []): Script {
  return (body) => {
    if ((body.tools?.length ?? 0) === 0) return say('e2e');
    const n = assistantTurns(body);
    const batches = isSubagentRequest(body) ? sub(systemText(body), body) : main;
    const batch = batches[n];
    return batch && batch.length ? { blocks: batch } : say(isSubagentRequest(body) ? 'agent done' : 'done');
  };
}
