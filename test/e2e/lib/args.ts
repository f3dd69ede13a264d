/**
 * Command arguments: which values a test passes (derived from the command's `argument-hint`, so a new command
 * needs no test change), and how the body should read once Claude Code has substituted them — the semantics
 * we intend and document (docs/contracts.md §4; ../shared/CLAUDE-CODE.md: `$ARGUMENTS` is the raw string,
 * `$0` the FIRST argument, `$1` the second, `$ARGUMENTS[N]` the same as `$N`; seen on 2.1.329).
 */
import { MISSING_ARGUMENT_AS_WRITTEN } from '../../../src/definitions/claude-facts.ts';
import { wantedClaudeVersion } from '../stand-in/run-claude.ts';

/**
 * Whether the client under test leaves a missing `$N` as written (MISSING_ARGUMENT_AS_WRITTEN, by version).
 * @throws Error for a version not recorded there (probe it with test/e2e/probe.test.ts and record it).
 */
export function missingArgumentAsWritten(version: string = wantedClaudeVersion()): boolean {
  const v = MISSING_ARGUMENT_AS_WRITTEN[version];
  if (v === undefined) throw new Error(`Claude Code ${version}: probe what a missing $N becomes (test/e2e/probe.test.ts) and record it in MISSING_ARGUMENT_AS_WRITTEN`);
  return v;
}

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
  return argVariants(hint, v)[0]!;
}

function valueForName(name: string, v: ArgValues): string | undefined {
  const lower = name.toLowerCase();
  if (/plan|\.ya?ml|file/.test(lower)) return v.plan;
  if (/ticket/.test(lower)) return v.ticket;
  if (/session/.test(lower)) return v.sessionId;
  if (/agent-?name|^agent$/.test(lower)) return 'worker-1';
  if (/^(n|count|number|agents|parallelism)$/.test(lower)) return '2';
  return undefined;
}

/**
 * Like {@link argsFromHint}, one argument list per alternative (with `requiredOnly`, the arguments before
 * the first optional one: what a user types who leaves the optional ones out) of a required argument that names different
 * kinds of value (`<plan.yaml | session-id>` → one run with the plan file, one with the session id). The
 * first list is the default.
 */
export function argVariants(hint: unknown, v: ArgValues, requiredOnly = false): string[][] {
  if (typeof hint !== 'string') return [[]];
  const tokens = hint.match(/\[[^\]]*\]|<[^>]*>|\S+/g) ?? [];
  let variants: string[][] = [[]];
  for (const token of tokens) {
    if (requiredOnly && token.startsWith('[')) break;
    const inner = token.replace(/^[[<]|[\]>]$/g, '').trim();
    if (!inner || inner.startsWith('-') || inner.startsWith('<-') || inner === '...' || inner.endsWith('...')) continue;
    const alternatives = inner.split('|').map((a) => a.trim().replace(/[<>]/g, '').split(/[\s:]+/)[0]!).filter(Boolean);
    const values = alternatives.map((a) => valueForName(a, v) ?? a);
    const distinct = [...new Set(values.filter((_x, i) => valueForName(alternatives[i]!, v) !== undefined))];
    if (token.startsWith('<') && distinct.length > 1) variants = distinct.flatMap((val) => variants.map((args) => [...args, val]));
    else {
      const first = alternatives.length > 1 ? (valueForName(alternatives[0]!, v) ?? alternatives[0]!) : (valueForName(alternatives[0] ?? '', v) ?? 'e2e');
      variants = variants.map((args) => [...args, first]);
    }
  }
  return variants;
}

/** The raw argument string a user types after the command name (values are single words). */
export function rawArgs(args: string[]): string {
  return args.join(' ');
}

/**
 * A command body after argument substitution as we intend it: `$ARGUMENTS[N]` and `$N` → the N-th argument
 * (0-based), `$ARGUMENTS` → the raw string, `${CLAUDE_PLUGIN_ROOT}` → the plugin root. A `$N` or
 * `$ARGUMENTS[N]` past the last argument stays as written with `asWritten` (2.1.329: `/argt onlyone` gives
 * `ARG1=[$1]`, so the model — and Bash, if it runs the line — sees a literal `$1`), else becomes empty (2.1.197);
 * default: what the client under test does ({@link missingArgumentAsWritten}).
 */
export function expandBody(body: string, args: string[], pluginRoot?: string, asWritten: boolean = missingArgumentAsWritten()): string {
  const missing = (m: string) => (asWritten ? m : '');
  let out = body.replace(/\$ARGUMENTS\[(\d+)\]/g, (m, i: string) => args[Number(i)] ?? missing(m));
  out = out.replace(/\$ARGUMENTS(?!\[)/g, rawArgs(args));
  out = out.replace(/\$(\d+)/g, (m, i: string) => args[Number(i)] ?? missing(m));
  if (pluginRoot) out = out.split('${CLAUDE_PLUGIN_ROOT}').join(pluginRoot);
  return out;
}
