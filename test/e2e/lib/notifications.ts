/**
 * Completion notifications of background agents, as Claude Code puts them in the parent's conversation (seen on
 * 2.1.197 and 2.1.329; src/definitions/claude-facts.ts, "Agent runs"): one `<task-notification>` block per
 * finished agent,
 *
 * ```
 * <task-notification>
 * <task-id>a7bf7e6058cfe4295</task-id>
 * <tool-use-id>toolu_…</tool-use-id>     the Agent tool_use that spawned it
 * <output-file>…</output-file>
 * <status>completed</status>
 * <summary>Agent "DESCRIPTION" finished</summary>
 * <note>…</note>
 * <result>the agent's final text</result>
 * <usage>…</usage>
 * </task-notification>
 * ```
 *
 * delivered as a new user turn when the parent had ended its turn, or inside a `system` message after the
 * tool_result of the call that was running when the parent's turn goes on.
 */
import { contentText, type MessagesBody } from '../stand-in/server.ts';

/** One parsed `<task-notification>`. */
export interface TaskNotification {
  taskId: string;
  /** Id of the Agent `tool_use` that started the agent. */
  toolUseId: string;
  /** `completed` (seen); other values are passed through. */
  status: string;
  /** The Agent call's `description`, from `<summary>Agent "…" finished</summary>` (undefined when worded otherwise). */
  description: string | undefined;
  /** The agent's final text (`<result>`), or `''`. */
  result: string;
  /** Index of the message (in the request's `messages`) that carried it, and that message's role. */
  message: number;
  role: 'user' | 'assistant' | 'system';
}

function tag(block: string, name: string): string | undefined {
  return new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(block)?.[1];
}

/** Every `<task-notification>` in `text` (any number, in order). */
export function parseNotifications(text: string): Array<Omit<TaskNotification, 'message' | 'role'>> {
  return [...text.matchAll(/<task-notification>([\s\S]*?)<\/task-notification>/g)].map((m) => {
    const block = m[1]!;
    return {
      taskId: tag(block, 'task-id') ?? '',
      toolUseId: tag(block, 'tool-use-id') ?? '',
      status: tag(block, 'status') ?? '',
      description: /^Agent "([\s\S]*)" finished$/.exec(tag(block, 'summary') ?? '')?.[1],
      result: tag(block, 'result') ?? '',
    };
  });
}

/** Every notification in a request's conversation, with the message that carried it. */
export function notificationsIn(body: MessagesBody): TaskNotification[] {
  return body.messages.flatMap((m, i) => (m.role === 'assistant' ? [] : parseNotifications(contentText(m.content)).map((n) => ({ ...n, message: i, role: m.role }))));
}

/**
 * The notifications that arrived since the model's last assistant message (what the model has not reacted to
 * yet): in the trailing user/system messages of the request.
 */
export function newNotifications(body: MessagesBody): TaskNotification[] {
  let last = -1;
  body.messages.forEach((m, i) => {
    if (m.role === 'assistant') last = i;
  });
  return notificationsIn(body).filter((n) => n.message > last);
}
