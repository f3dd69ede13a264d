/**
 * Command arguments: which values a test passes (derived from the command's `argument-hint`, so a new command
 * needs no test change), and how the body should read once Claude Code has substituted them — the semantics
 * we intend and document (docs/contracts.md §4; ../shared/CLAUDE-CODE.md: `$ARGUMENTS` is the raw string,
 * `$0` the FIRST argument, `$1` the second, `$ARGUMENTS[N]` the same as `$N`; seen on 2.1.329).
 */

/** Real values for argument names in hints. */
export interface ArgValues {
  plan: string;
  ticket: string;
  sessionId: string;
}

/**
 * The positional arguments for a command: one per positional token of its `argument-hint` (required `<x>`
 * or bare, and optional `[x]`), skipping options (`--flag`, `[--flag ...]`). Alternatives `a|b` take the
 * first. Values by name: plan/yaml → the plan file, ticket → a ticket id, session → the session id,
 * agent → `worker-1`, a count → `2`, anything else → `e2e`.
 */
export function argsFromHint(hint: unknown, v: ArgValues): string[] {
  if (typeof hint !== 'string') return [];
  const tokens = hint.match(/\[[^\]]*\]|<[^>]*>|\S+/g) ?? [];
  const out: string[] = [];
  for (const token of tokens) {
    const inner = token.replace(/^[[<]|[\]>]$/g, '').trim();
    if (!inner || inner.startsWith('-') || inner.startsWith('<-') || inner === '...' || inner.endsWith('...')) continue;
    const name = inner.replace(/[<>]/g, '').split(/\s+/)[0]!;
    const lower = name.toLowerCase();
    if (/plan|\.ya?ml|file/.test(lower)) out.push(v.plan);
    else if (/ticket/.test(lower)) out.push(v.ticket);
    else if (/session/.test(lower)) out.push(v.sessionId);
    else if (/agent-?name|^agent$/.test(lower)) out.push('worker-1');
    else if (/^(n|count|number|agents|parallelism)$/.test(lower)) out.push('2');
    else if (name.includes('|')) out.push(name.split('|')[0]!);
    else out.push('e2e');
  }
  return out;
}

/** The raw argument string a user types after the command name (values are single words). */
export function rawArgs(args: string[]): string {
  return args.join(' ');
}

/**
 * A command body after argument substitution as we intend it: `$ARGUMENTS[N]` and `$N` → the N-th argument
 * (0-based, empty when missing), `$ARGUMENTS` → the raw string, `${CLAUDE_PLUGIN_ROOT}` → the plugin root.
 */
export function expandBody(body: string, args: string[], pluginRoot?: string): string {
  let out = body.replace(/\$ARGUMENTS\[(\d+)\]/g, (_m, i: string) => args[Number(i)] ?? '');
  out = out.replace(/\$ARGUMENTS/g, rawArgs(args));
  out = out.replace(/\$(\d+)/g, (_m, i: string) => args[Number(i)] ?? '');
  if (pluginRoot) out = out.split('${CLAUDE_PLUGIN_ROOT}').join(pluginRoot);
  return out;
}
