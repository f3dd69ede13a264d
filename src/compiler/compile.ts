import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { ToolError } from '../diagnostics/errors.ts';
import { AGENT_KEYS, COMMAND_KEYS, SKILL_FILE, SKILL_KEYS } from '../definitions/claude-facts.ts';
import { frontmatterPosition, parseMarkdown, type ParsedMarkdown } from '../definitions/frontmatter.ts';
import { collectDefinitions, displayPath, invalidDefinitions, type LoadedAgent, type LoadedCommand } from '../definitions/load.ts';
import { findHelperCalls } from './coverage.ts';
import { commandCovered } from '../definitions/permissions.ts';
import { serializeFrontmatter } from './frontmatter-out.ts';
import { packageRoot } from './package-root.ts';
import { pluginFiles } from './plugin.ts';
import { BodyRenderer } from './render.ts';
import { rewriteCommandRefs, skillName, skillNameProblem } from './skill-names.ts';
import { defaultLayout, HELPER_OUT_PATH, PLUGIN_NAME, helperCommand, helperRule, referenceFileText, type Layout, type TargetName } from './target.ts';
import { loadTemplates, type TemplateFile } from './templates.ts';

/** One file the build produces: its path relative to the output folder (`/` separators) and its bytes. */
export interface GeneratedFile {
  path: string;
  content: Buffer;
}

/**
 * Input of {@link compileDefinitions}. `src`: the definitions folder; `cwd`: base for diagnostic paths;
 * `layout`: commands or skills (default: {@link defaultLayout} of the target).
 */
export interface CompileOptions {
  src: string;
  target: TargetName;
  cwd: string;
  layout?: Layout;
}

/** Skill frontmatter key order: `name` first (Agent Skills spec), then the command keys, then the rest. */
const SKILL_KEY_ORDER: readonly string[] = ['name', ...SKILL_KEYS.filter((k) => k !== 'name')];

/** Where one command definition goes: its output path, its invocation, and (skills) its skill name. */
interface CommandPlace {
  path: string;
  invocation: string;
  skill?: string;
}

/**
 * The output path and invocation of every command of the set for a target and layout: `commands/<rel>` and
 * `/ns:name` (plugin `/build-commands:ns:name`), or `skills/<skill>/SKILL.md` and `/<skill>` (plugin
 * `/build-commands:<skill>`, the plugin's namespace, seen on 2.1.329) with the name of ./skill-names.ts.
 */
export function commandPlaces(commands: readonly Pick<LoadedCommand, 'name' | 'rel'>[], target: TargetName, layout: Layout): Map<string, CommandPlace> {
  const prefix = target === 'plugin' ? `/${PLUGIN_NAME}:` : '/';
  const places = new Map<string, CommandPlace>();
  for (const cmd of commands) {
    if (layout === 'commands') places.set(cmd.name, { path: `commands/${cmd.rel.slice('commands/'.length)}`, invocation: `${prefix}${cmd.name}` });
    else {
      const skill = skillName(cmd.name);
      places.set(cmd.name, { path: `skills/${skill}/${SKILL_FILE}`, invocation: `${prefix}${skill}`, skill });
    }
  }
  return places;
}

/** Everything a build would write, sorted by path, plus counts for the summary line. */
export interface CompileResult {
  files: GeneratedFile[];
  commands: number;
  agents: number;
}

/** Adds `rule` to `list` unless it is already there. */
function addRule(list: string[], rule: string): void {
  if (!list.includes(rule)) list.push(rule);
}

/** Normalises rendered text: `\n` line endings, exactly one trailing newline. */
function finalText(text: string): string {
  return `${text.replace(/\r\n?/g, '\n').trimEnd()}\n`;
}

/**
 * The path of the bundled runtime helper (`<root>/dist/orchestrate.mjs`, made by `scripts/bundle.mjs`; `root`
 * defaults to the package root). Throws ToolError('MissingBundle') when it does not exist.
 */
export function bundledHelperPath(root: string = packageRoot()): string {
  const file = path.join(root, 'dist', 'orchestrate.mjs');
  if (!existsSync(file)) throw new ToolError('MissingBundle', `The runtime helper ${file} is missing, so it cannot be copied into the output`);
  return file;
}

/**
 * Compiles a definitions folder into the files of one target, in memory (nothing is written):
 * commands → `commands/**.md` (layout `commands`) or `skills/<name>/SKILL.md` with `name:` (layout `skills`;
 * names per ./skill-names.ts, references to the pack's commands in bodies and descriptions — of commands and agents —
 * rewritten to the skill names; `{{#reference}}` parts written beside `SKILL.md` as `<name>.md`, linked from the
 * body (inline in commands and agents); a
 * name that breaks the Agent Skills rules, a built-in name or two commands with one skill name is a
 * `skill-name` problem), agents → `agents/*.md`, the helper → `scripts/orchestrate.mjs` (one copy), and for the
 * plugin target the plugin files (./plugin.ts). Each command's `allowed-tools` gains the helper's Bash rule
 * when its rendered body calls the helper, and `Agent` when it spawns (no duplicates). Collects every
 * problem — schema, template, unknown agents, uncovered helper calls — and throws one
 * ToolError('InvalidDefinitions') with all of them. Output is deterministic: sorted, no timestamps, `\n`.
 */
export function compileDefinitions(opts: CompileOptions): CompileResult {
  const { src, target, cwd } = opts;
  const layout = opts.layout ?? defaultLayout(target);
  const { set, diagnostics } = collectDefinitions(src, cwd);
  const places = commandPlaces(set.commands, target, layout);
  const refs = new Map(layout === 'skills' ? [...places].map(([name, p]) => [name, p.invocation]) : []);
  const bySkill = new Map<string, string>();
  const templates = loadTemplates(src, (abs) => displayPath(abs, cwd));
  const renderer = new BodyRenderer(target, templates, set.agents.map((a) => a.name));
  const files: GeneratedFile[] = [];
  const emit = (rel: string, text: string) => files.push({ path: rel, content: Buffer.from(text, 'utf8') });

  const wrap = (template: TemplateFile, def: LoadedCommand | LoadedAgent, frontmatter: string, body: string): string => {
    const text = finalText(renderer.renderWrapper(template, { source: def.rel, frontmatter, body, name: def.name, target }));
    if (!text.startsWith('---\n'))
      throw new ToolError('InvalidDefinitions', `The template ${template.file} does not start with \`---\` at byte 0`, {
        diagnostics: [{ file: template.file, line: 1, col: 1, severity: 'error', code: 'template-error', message: 'Expected the file wrapper template to start with `---` at byte 0 (Claude Code reads no metadata otherwise)' }],
      });
    return text;
  };

  for (const cmd of set.commands) {
    const place = places.get(cmd.name)!;
    if (place.skill !== undefined) {
      const problem = skillNameProblem(place.skill, target === 'plugin');
      const taken = bySkill.get(place.skill);
      if (problem) diagnostics.push({ file: cmd.file, line: 1, col: 1, severity: 'error', code: 'skill-name', message: `Skill name \`${place.skill}\` (from \`/${cmd.name}\`) ${problem}`, hint: 'Rename the definition file or its folder.' });
      else if (taken) diagnostics.push({ file: cmd.file, line: 1, col: 1, severity: 'error', code: 'skill-name', message: `Skill name \`${place.skill}\` of \`/${cmd.name}\` is also the skill name of \`/${taken}\`, expected one skill per name` });
      bySkill.set(place.skill, taken ?? cmd.name);
    }
    const body = renderer.renderBody(cmd.md, { name: cmd.name, command: place.invocation, target, description: cmd.data.description }, place.skill !== undefined ? 'files' : 'inline');
    diagnostics.push(...body.diagnostics);
    if (body.diagnostics.length > 0) continue;
    const text = rewriteCommandRefs(body.text, refs);
    const references = body.references.map((r) => ({ ...r, text: rewriteCommandRefs(r.text, refs) }));
    // A reference file's helper calls run under the skill's approval too: cover them all.
    const calls = [text, ...references.map((r) => r.text)].flatMap((t) => findHelperCalls(parseMarkdown(cmd.file, `---\n---\n${t}`)));
    const tools = [...(cmd.data['allowed-tools'] ?? [])];
    if (calls.length > 0) addRule(tools, helperRule(target));
    if (body.spawned.length > 0 && !tools.includes('Task')) addRule(tools, 'Agent');
    // A plugin skill's folder is outside the project: reading its reference files needs a rule (seen on 2.1.329:
    // "Claude requested permissions to read from …" without one; `Read(//abs/**)` is the absolute-path form).
    if (target === 'plugin' && references.length > 0) addRule(tools, `Read(/\${CLAUDE_PLUGIN_ROOT}/${path.posix.dirname(place.path)}/**)`);
    for (const call of calls.filter((c) => !commandCovered(tools, c.command))) {
      diagnostics.push({ file: cmd.file, ...sourcePosition(cmd.md, call.command), severity: 'error', code: 'helper-not-covered', message: `Helper call \`${call.command}\` is not covered by \`allowed-tools\`, expected it to start with \`${helperCommand(target)}\``, hint: 'Write helper calls with {{orchestrate "VERB ..."}} so they render for the target.' });
    }
    const data = { ...(place.skill !== undefined ? { name: place.skill } : {}), ...cmd.data, description: rewriteCommandRefs(cmd.data.description, refs), ...(tools.length > 0 ? { 'allowed-tools': tools } : {}) };
    const frontmatter = place.skill !== undefined ? serializeFrontmatter(data, SKILL_KEY_ORDER) : serializeFrontmatter(data, COMMAND_KEYS);
    emit(place.path, wrap(templates.command, cmd, frontmatter, text));
    for (const r of references) emit(`${path.posix.dirname(place.path)}/${r.name}.md`, `<!-- generated by build-commands — edit the source: ${cmd.rel} (reference \`${r.name}\`) -->\n\n${finalText(referenceFileText(target, r.text))}`);
  }

  for (const agent of set.agents) {
    const body = renderer.renderBody(agent.md, { name: agent.name, agent: agent.name, target, description: agent.data.description });
    diagnostics.push(...body.diagnostics);
    if (body.diagnostics.length > 0) continue;
    const tools = agent.data.tools;
    const rendered = parseMarkdown(agent.file, `---\n---\n${body.text}`);
    const need = (tool: string, why: string) => {
      if (tools && !tools.some((t) => t === tool || t.startsWith(`${tool}(`) || (tool === 'Agent' && (t === 'Task' || t.startsWith('Task(')))))
        diagnostics.push({ file: agent.file, ...frontmatterPosition(agent.md, ['tools'], 'key'), severity: 'error', code: 'agent-missing-tool', message: `Agent body ${why} but \`tools\` does not include \`${tool}\`` });
    };
    if (findHelperCalls(rendered).length > 0) need('Bash', 'calls the runtime helper');
    if (body.spawned.length > 0) need('Agent', 'spawns agents');
    const data = { ...agent.data, description: rewriteCommandRefs(agent.data.description, refs) };
    emit(`agents/${agent.name}.md`, wrap(templates.agent, agent, serializeFrontmatter(data, AGENT_KEYS), rewriteCommandRefs(body.text, refs)));
  }

  // Files whose frontmatter is invalid: still report their template problems, so one run lists everything.
  for (const md of set.invalid) {
    if (md.problems.length === 0 && md.hasFrontmatter) diagnostics.push(...renderer.renderBody(md, { name: '', command: '', agent: '', target, description: '' }).diagnostics);
  }
  if (diagnostics.length > 0) throw invalidDefinitions(diagnostics as Diagnostic[], src, cwd);
  files.push({ path: HELPER_OUT_PATH, content: readFileSync(bundledHelperPath()) });
  if (target === 'plugin') files.push(...pluginFiles(set, places));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, commands: set.commands.length, agents: set.agents.length };
}

/**
 * Where a call found in the rendered body stands in the definition's source: the first place the source body
 * holds its text (a hand-written call is there as it is); else the `allowed-tools` key; else line 1.
 */
function sourcePosition(md: ParsedMarkdown, text: string): { line: number; col: number } {
  const at = md.body.indexOf(text);
  if (at !== -1) return md.lineCounter.linePos(md.bodyStart + at);
  return md.data['allowed-tools'] !== undefined ? frontmatterPosition(md, ['allowed-tools'], 'key') : { line: 1, col: 1 };
}
