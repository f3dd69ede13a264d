import { HELPER_VERBS } from '../compiler/helper-verbs.ts';
import { helperCommand, helperRule, TARGETS } from '../compiler/target.ts';

/**
 * Importing a pack that build-commands built: its rendered helper calls (`node .claude/scripts/orchestrate.mjs
 * VERB …`, or the plugin's `node ${CLAUDE_PLUGIN_ROOT}/…`) go back to `{{orchestrate "VERB …"}}`, so the
 * definitions build for either target again; the helper's own `allowed-tools` rule is dropped (the build adds
 * the right one). A call is left as written when it cannot be a template: an unknown verb, `{{`/`}}` in it,
 * or both kinds of quote.
 */

const CALL = new RegExp(
  `(?:${TARGETS.map((t) => helperCommand(t).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})(?=[\\s\`]|$)([^\`\\n]*)`,
  'g',
);

/** `body` with every convertible helper call written as `{{orchestrate …}}`, and how many were converted. */
export function templateHelperCalls(body: string): { body: string; converted: number } {
  let converted = 0;
  const out = body.replace(CALL, (whole, rest: string) => {
    const args = rest.trim();
    const verb = args.split(/\s+/)[0] ?? '';
    if (args !== '' && !(HELPER_VERBS as readonly string[]).includes(verb) && !verb.startsWith('-')) return whole;
    if (args.includes('{{') || args.includes('}}')) return whole;
    const quote = !args.includes('"') ? '"' : !args.includes("'") ? "'" : null;
    if (quote === null) return whole;
    converted++;
    const trailing = rest.slice(rest.trimEnd().length);
    return `{{orchestrate ${quote}${args}${quote}}}${trailing}`;
  });
  return { body: out, converted };
}

/** True for the `allowed-tools` rule the build adds for the helper (either target's). */
export function isHelperRule(rule: string): boolean {
  return TARGETS.some((t) => helperRule(t) === rule);
}
