import { isMap, isScalar, isSeq, stringify } from 'yaml';
import type { Diagnostic, Severity } from '../diagnostics/diagnostic.ts';
import { AGENT_KEYS, COMMAND_KEYS, TOOL_ALIASES } from '../definitions/claude-facts.ts';
import { frontmatterPosition } from '../definitions/frontmatter.ts';
import { AgentDefinitionSchema, CommandDefinitionSchema } from '../definitions/schemas.ts';
import { listedRules } from '../lint/body.ts';
import { nearest } from '../definitions/suggest.ts';
import type { LintFile } from '../lint/types.ts';
import { isHelperRule, templateHelperCalls } from './helper-calls.ts';
import { ownValue } from '../util/own.ts';
import { meantKey } from '../definitions/key-mixups.ts';

/**
 * One hand-written Claude Code file turned into a build-commands definition.
 * - `rel`: where it goes below the `--to` folder: `commands/<ns>/<name>.md` or `agents/<name>.md`
 * - `text`: the definition (YAML frontmatter with lists as YAML lists, then the body with `{{` escaped)
 * - `changed`: frontmatter keys whose meaning for Claude Code changed (so a round trip may differ there)
 * - `diagnostics`: every fix, code `import-*`: `warning` when what Claude Code reads changes (a renamed key now
 *   applies, an agent Claude Code skipped now loads), `info` when it does not (a dropped key it ignored anyway)
 */
export interface Converted {
  source: LintFile;
  rel: string;
  text: string;
  changed: string[];
  diagnostics: Diagnostic[];
}

const TOOL_KEYS = new Set(['allowed-tools', 'disallowed-tools', 'tools', 'disallowedTools']);
/** The first non-empty body line as plain text (what Claude Code shows when a command has no description). */
export function firstLine(body: string): string {
  for (const raw of body.split('\n')) {
    const line = raw
      .replace(/^\s*#+\s*/, '')
      .replace(/[*_`]/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .trim();
    if (line && !/^[-=|>]+$/.test(line)) return line.length > 200 ? `${line.slice(0, 197)}...` : line;
  }
  return '';
}

/** Escapes `{{` so Handlebars prints it literally (`\{{`); the build renders it back to `{{`. */
export function escapeHandlebars(body: string): string {
  return body.replace(/(\\*)\{\{/g, (_m, slashes: string) => `${slashes}${slashes}\\{{`);
}

/** What definitions have none of, for each kind of file the importer skips (`import-skipped`). */
const NOT_DEFINED: Partial<Record<LintFile['kind'], string>> = { skill: 'skills', 'unloaded-skill': 'skills', 'plugin-hooks': 'hooks files' };

/**
 * The `import-skipped` diagnostic for a file that is not a command or an agent: a file that could not be read
 * (`unreadable`) is an error naming why (a command or agent is lost); a skill or a hooks file is a warning.
 */
function skippedFile(file: LintFile): Diagnostic {
  const at = { file: file.path, line: 0, col: 0, code: 'import-skipped' };
  if (file.kind === 'unreadable') return { ...at, severity: 'error', message: `\`${file.path}\` was not imported: ${file.problem ?? 'it could not be read'}` };
  const what = NOT_DEFINED[file.kind] ?? 'such files';
  return { ...at, severity: 'warning', message: `${file.kind === 'skill' ? 'Skill' : 'File'} \`${file.path}\` was not imported, expected a command or an agent (definitions have no ${what})` };
}

/**
 * Converts one command or agent (claude or plugin origin) into a definition. Never throws: problems become
 * diagnostics on the source file. Returns null for files that are not commands or agents (skills, manifests),
 * with a diagnostic saying so in `skipped`.
 */
export function convertFile(file: LintFile): Converted | { skipped: Diagnostic } {
  const md = file.md!;
  const diagnostics: Diagnostic[] = [];
  const changed: string[] = [];
  const note = (severity: Severity, code: string, message: string, at?: readonly (string | number)[]) => {
    const pos = at ? frontmatterPosition(md, at, 'key') : { line: 1, col: 1 };
    diagnostics.push({ file: file.path, ...pos, severity, code, message });
  };
  if (file.kind !== 'command' && file.kind !== 'agent') return { skipped: skippedFile(file) };
  const isAgent = file.kind === 'agent';
  const keys: readonly string[] = isAgent ? AGENT_KEYS : COMMAND_KEYS;
  const label = isAgent ? 'agent' : 'command';

  for (const p of md.problems) {
    if (p.code === 'frontmatter-start' && /byte order mark/.test(p.message)) {
      note('warning', 'import-frontmatter', 'File started with a byte order mark, so Claude Code 2.1.197 read none of its frontmatter (2.1.329 strips the mark); imported without the mark (it applies on both)');
      changed.push(...Object.keys(md.data));
    } else if (p.code === 'frontmatter-start') {
      note('warning', 'import-frontmatter', `Frontmatter did not start at byte 0, so Claude Code read none of it; imported it as frontmatter (it now applies)`);
      changed.push(...Object.keys(md.data));
    } else note('error', 'import-frontmatter', `${p.message}${/no metadata/.test(p.message) ? '' : '; Claude Code read no metadata from this file'}; none was imported (fix the YAML and add the keys by hand)`);
  }
  const parsedOk = !md.problems.some((p) => p.code !== 'frontmatter-start');
  const data: Record<string, unknown> = {};
  if (parsedOk && md.doc && isMap(md.doc.contents)) {
    for (const pair of md.doc.contents.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      let target = key;
      if (!keys.includes(key)) {
        const guess = meantKey(label, key) ?? nearest(key, keys);
        if (guess && !(guess in md.data)) {
          target = guess;
          changed.push(guess);
          note('warning', 'import-renamed-key', `Renamed \`${key}\` to \`${guess}\`: Claude Code ignored \`${key}\`, the definition's \`${guess}\` applies`, [key]);
        } else {
          note('info', 'import-dropped-key', `Dropped \`${key}\`: Claude Code does not read it in ${isAgent ? 'an' : 'a'} ${label}`, [key]);
          continue;
        }
      }
      let value: unknown = md.data[key];
      if (TOOL_KEYS.has(target)) {
        const rules = listedRules(file, key);
        if (rules === null) {
          note('warning', 'import-dropped-key', `Dropped \`${key}\`: expected a comma string or a list of tool names`, [key]);
          changed.push(target);
          continue;
        }
        value = rules.map((r) => {
          const alias = ownValue(TOOL_ALIASES, r.text.replace(/\(.*$/s, ''));
          if (!alias) return r.text;
          note('info', 'import-tool-alias', `Wrote \`${alias}\` for the old tool name \`${r.text}\` in \`${target}\` (same tool)`, [key]);
          return alias + r.text.slice(r.text.replace(/\(.*$/s, '').length);
        });
      } else if (target === 'argument-hint' && isSeq(pair.value) && pair.value.range) {
        value = md.text.slice(md.yamlStart + pair.value.range[0], md.yamlStart + pair.value.range[1]).trim();
        changed.push(target);
        note('warning', 'import-value', `Quoted \`argument-hint\` as the string \`${String(value)}\` (unquoted it was a YAML list)`, [key]);
      }
      data[target] = value;
    }
  }

  // The compiler's schema decides what a definition may hold; drop what it rejects, one key at a time.
  const schema = isAgent ? AgentDefinitionSchema : CommandDefinitionSchema;
  if (isAgent && (typeof data.name !== 'string' || data.name === '')) {
    data.name = file.name;
    changed.push('name');
    note('warning', 'import-name', `Agent had no \`name\` (Claude Code skipped it); imported as \`${file.name}\` from the file name`);
  }
  if (isAgent && typeof data.name === 'string' && !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(data.name)) {
    const fixed = data.name.split(':').pop()!.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'agent';
    // the loader skips only `:`, a leading `-` or over 256 characters (claude-facts.ts, seen on 2.1.329)
    const skipped = data.name.includes(':') || data.name.startsWith('-') || data.name.length > 256;
    const why = skipped ? 'made Claude Code skip the agent' : 'is not a definition name (lowercase letters, digits, hyphens; Claude Code loads it and matches `subagent_type` loosely)';
    note('warning', 'import-name', `Agent name \`${data.name}\` ${why}; imported as \`${fixed}\``, ['name']);
    data.name = fixed;
    changed.push('name');
  }
  if (typeof data.description !== 'string' || data.description.trim() === '') {
    const derived = firstLine(md.body) || file.name;
    data.description = derived;
    changed.push('description');
    note('warning', 'import-description', `${isAgent ? 'Agent' : 'Command'} had no \`description\`${isAgent ? ' (Claude Code skipped it)' : ''}; imported with the first body line \`${derived}\``);
  }
  for (let guard = 0; guard < 40; guard++) {
    const r = schema.safeParse(data);
    if (r.success) break;
    const issue = r.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    if (!(key in data) || key === 'name' || key === 'description') break;
    if (Array.isArray(data[key]) && typeof issue.path[1] === 'number') {
      const list = data[key] as unknown[];
      note('warning', 'import-dropped-value', `Dropped \`${String(list[issue.path[1]])}\` from \`${key}\`: ${issue.message}`, [key]);
      list.splice(issue.path[1], 1);
      if (list.length === 0) delete data[key];
    } else {
      note('warning', 'import-dropped-key', `Dropped \`${key}\`: ${issue.message}`, [key]);
      delete data[key];
    }
    changed.push(key);
  }

  // Escape first (nothing of the file may expand), then template the helper calls (their text has no `{{`).
  const escapedOnly = escapeHandlebars(md.body);
  if (escapedOnly !== md.body) note('info', 'import-escaped', 'Escaped `{{` as `\\{{` in the body so the build prints it literally');
  const { body: escaped, converted } = templateHelperCalls(escapedOnly);
  if (converted > 0) note('info', 'import-helper-call', `Wrote ${converted} helper call${converted === 1 ? '' : 's'} as \`{{orchestrate "…"}}\`, so they render for either target`);
  if (Array.isArray(data['allowed-tools']) && (data['allowed-tools'] as string[]).some(isHelperRule)) {
    data['allowed-tools'] = (data['allowed-tools'] as string[]).filter((r) => !isHelperRule(r));
    if ((data['allowed-tools'] as string[]).length === 0) delete data['allowed-tools'];
    note('info', 'import-helper-rule', "Dropped the helper's `allowed-tools` rule: the build adds the one for its target", ['allowed-tools']);
  }
  const front = Object.keys(data).length ? stringify(data, { lineWidth: 0 }) : '';
  const name = isAgent ? String(data.name) : file.name;
  const rel = isAgent ? `agents/${name}.md` : `commands/${name.split(':').join('/')}.md`;
  return { source: file, rel, text: `---\n${front}---\n${escaped}`, changed: [...new Set(changed)], diagnostics };
}
