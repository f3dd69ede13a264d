import Handlebars from 'handlebars';
import type { Diagnostic, Position } from '../diagnostics/diagnostic.ts';
import { ToolError } from '../diagnostics/errors.ts';
import { BUILTIN_AGENTS } from '../definitions/claude-facts.ts';
import type { ParsedMarkdown } from '../definitions/frontmatter.ts';
import { bodyPosition } from '../definitions/frontmatter.ts';
import { HELPER_VERBS } from './helper-verbs.ts';
import { TemplateRunner } from './interpret.ts';
import { finishRendered, finishRenderedWithFindings, interpolated, interpolatedContext, stripSentinels, type FormedShell } from './neutralise.ts';
import { agentRef, helperCommand, PLUGIN_ROOT_PLACEHOLDER, type TargetName } from './target.ts';
import type { TemplateFile, TemplateSet } from './templates.ts';

/** A reference part of a body (`{{#reference}}`) written to its own file beside a skill's `SKILL.md`. */
export interface ReferencePart {
  /** File name without `.md` (lowercase letters, digits, hyphens). */
  name: string;
  /** When the model should read it (the link's sentence). */
  when: string;
  /** The rendered content. */
  text: string;
}

/** What rendering one body produced: the text, its problems, and which helpers it used. */
export interface RenderedBody {
  text: string;
  diagnostics: Diagnostic[];
  /** Names of the agents spawned with `{{#spawn}}` (definition names, not rendered refs), sorted. */
  spawned: string[];
  /** The `` !` `` / ```` ```! ```` that data formed and the final pass broke (./neutralise.ts), by offset in `text`. */
  formed: FormedShell[];
  /** The `{{#reference}}` parts moved out of the body (only when rendering with `references: 'files'`). */
  references: ReferencePart[];
}

/**
 * Where `{{#reference "name" when="…"}}…{{/reference}}` content goes: `inline` (in place: commands and agents,
 * which have no folder) or `files` (skills: the body keeps one link line, the content becomes `name.md` beside
 * `SKILL.md`, read by the model only when needed — progressive disclosure, docs: code.claude.com/docs skills).
 */
export type ReferenceMode = 'inline' | 'files';

/** Per-render state, reachable from helpers through `options.data.bc`. */
interface RenderState {
  md: ParsedMarkdown;
  diagnostics: Diagnostic[];
  spawned: Set<string>;
  references: ReferencePart[];
  mode: ReferenceMode;
}

/**
 * What Claude Code substitutes in a command or SKILL.md body but not in a file the model reads with Read: `$N`,
 * `$ARGUMENTS`, `${CLAUDE_SKILL_DIR}` (docs/e2e.md "Skills"; probe-skills.test.ts shows a reference file's `$0`
 * arriving as written). In a reference part they would mean the argument in commands and the literal text in skills.
 */
const UNSUBSTITUTED = /\$(?:\d+|ARGUMENTS\b)|\$\{CLAUDE_SKILL_DIR\}/;

/** A reference file name: lowercase letters, digits, single hyphens (not `skill`, which would shadow SKILL.md on case-insensitive disks). */
const REFERENCE_NAME = /^(?!skill$)[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The location Handlebars passes to helpers (`line` 1-based, `column` 0-based, relative to the template). */
interface HbsLoc {
  start: { line: number; column: number };
}

/** Maps a Handlebars location inside a body to its 1-based file position. */
function bodyLocToPosition(md: ParsedMarkdown, line: number, column: number): Position {
  const start = bodyPosition(md, 0);
  return line <= 1 ? { line: start.line, col: start.col + column } : { line: start.line + line - 1, col: column + 1 };
}

/**
 * Reads the position out of a Handlebars exception, if any: strict-mode lookups and helper errors carry a line
 * and column; a syntax error carries only its line, in its message (`Parse error on line 3:`, `Lexical error on
 * line 2.`; its caret line drops line breaks, so no column is read from it).
 */
function exceptionPosition(e: unknown): { line: number; column: number } | undefined {
  const ex = e as { lineNumber?: number; column?: number; hash?: { loc?: { first_line: number; first_column: number } }; message?: unknown };
  if (ex.hash?.loc) return { line: ex.hash.loc.first_line, column: ex.hash.loc.first_column };
  if (typeof ex.lineNumber === 'number') return { line: ex.lineNumber, column: ex.column ?? 0 };
  const syntax = /^(?:Parse|Lexical) error on line (\d+)/.exec(typeof ex.message === 'string' ? ex.message : '');
  if (syntax) return { line: Number(syntax[1]), column: 0 };
  return undefined;
}

/** The first line of a Handlebars error message, without its "on line N" noise; `vars` lists the known variables. */
function exceptionMessage(e: unknown, vars: readonly string[] = []): string {
  const msg = (e instanceof Error ? e.message : String(e)).split('\n');
  const missing = /^"(.+)" not defined in/.exec(msg[0] ?? '');
  if (missing) return `Unknown variable \`${missing[1]}\`, expected one of ${[...vars, 'orchestrate', 'agent', 'spawn', 'reference'].map((v) => `\`${v}\``).join(', ')}`;
  if (msg[0]?.startsWith('Parse error')) return `Template syntax error: ${msg.slice(3).join(' ').trim() || msg[0]}`;
  return msg[0]!.replace(/ - \d+:\d+$/, '');
}

/**
 * A Handlebars environment for one target (templates run with `{ noEscape: true, strict: true }` semantics:
 * markdown is not HTML-escaped, a missing variable is an error; see ./interpret.ts) (an isolated `Handlebars.create()`), with the helpers of
 * docs/contracts.md §4 and the partials of a {@link TemplateSet}:
 * - `{{orchestrate "claim --agent $0"}}` → `node .claude/scripts/orchestrate.mjs claim --agent $0` (plugin:
 *   `node ${CLAUDE_PLUGIN_ROOT}/scripts/orchestrate.mjs ...`); the first word must be a helper verb.
 * - `{{agent "implementation-agent"}}` → `implementation-agent` (plugin: `build-commands:implementation-agent`).
 * - `{{#spawn "implementation-agent" count=3 description="Implement tickets"}}prompt{{/spawn}}` → the
 *   `spawn` partial: call the Agent tool `count` times in ONE message (`count` is a positive integer or a
 *   phrase such as `"one per claimed ticket"`) with that `subagent_type`,
 *   description (3–5 words) and prompt.
 * An agent that is neither in `agents` nor built into Claude Code, an unknown verb, a bad `count` or
 * description become diagnostics at the helper call's line:col. Interpolated text can never form `` !` ``.
 */
export class BodyRenderer {
  readonly target: TargetName;
  private readonly hb: typeof Handlebars;
  private readonly agents: ReadonlySet<string>;
  private readonly spawnSource: string;
  private readonly runner: TemplateRunner;

  /** `agents`: the names of the agents defined in the build (spawnable besides Claude Code's built-in ones). */
  constructor(target: TargetName, templates: TemplateSet, agents: Iterable<string>) {
    this.target = target;
    this.agents = new Set(agents);
    this.hb = Handlebars.create();
    for (const [name, t] of Object.entries(templates.partials)) this.hb.registerPartial(name, stripSentinels(t.source));
    const spawn = templates.partials.spawn;
    if (!spawn) throw new Error('templates/partials/spawn.hbs is missing from the package');
    this.spawnSource = stripSentinels(spawn.source);
    this.runner = new TemplateRunner(this.hb);
    this.registerHelpers();
  }

  private registerHelpers(): void {
    const self = this;
    const problem = (state: RenderState, loc: HbsLoc | undefined, code: string, message: string, hint?: string) => {
      const p = loc ? bodyLocToPosition(state.md, loc.start.line, loc.start.column) : bodyPosition(state.md, 0);
      state.diagnostics.push({ file: state.md.file, line: p.line, col: p.col, severity: 'error', code, message, ...(hint ? { hint } : {}) });
    };
    const checkAgent = (state: RenderState, loc: HbsLoc | undefined, name: unknown, helper: string): string => {
      const n = typeof name === 'string' ? name : '';
      if (!self.agents.has(n) && !(BUILTIN_AGENTS as readonly string[]).includes(n)) {
        const known = [...self.agents].sort().concat(BUILTIN_AGENTS);
        problem(state, loc, 'unknown-agent', `Unknown agent \`${String(name)}\` in \`${helper}\`, expected one of ${known.map((a) => `\`${a}\``).join(', ')}`, 'Add agents/<name>.md or fix the name.');
      }
      return self.isBuiltin(n) ? n : agentRef(self.target, n);
    };

    this.hb.registerHelper('orchestrate', function (this: unknown, ...args: unknown[]) {
      const options = args.pop() as Handlebars.HelperOptions & { loc?: HbsLoc };
      const state = options.data.bc as RenderState;
      const words = args.map((a) => String(a)).join(' ').trim();
      const verb = words.split(/\s+/)[0] ?? '';
      if (words !== '' && !(HELPER_VERBS as readonly string[]).includes(verb) && !verb.startsWith('-'))
        problem(state, options.loc, 'unknown-helper-verb', `Unknown helper verb \`${verb}\` in \`orchestrate\`, expected one of ${HELPER_VERBS.map((v) => `\`${v}\``).join(', ')}`);
      return interpolated(words ? `${helperCommand(self.target)} ${words}` : helperCommand(self.target));
    });

    this.hb.registerHelper('agent', function (this: unknown, name: unknown, options: Handlebars.HelperOptions & { loc?: HbsLoc }) {
      return interpolated(checkAgent(options.data.bc as RenderState, options.loc, name, 'agent'));
    });

    this.hb.registerHelper('reference', function (this: unknown, name: unknown, options: Handlebars.HelperOptions & { loc?: HbsLoc }) {
      const state = options.data.bc as RenderState;
      const when = (options.hash as { when?: unknown }).when;
      if (typeof options.fn !== 'function') {
        problem(state, options.loc, 'reference-usage', 'Expected `reference` as a block: `{{#reference "name" when="you need X"}}content{{/reference}}`');
        return '';
      }
      const text = String(options.fn(this)).replace(/^\s*\n/, '').trimEnd();
      if (typeof name !== 'string' || !REFERENCE_NAME.test(name) || state.references.some((r) => r.name === name))
        problem(state, options.loc, 'reference-usage', `Expected a unique reference name of lowercase letters, digits and hyphens (not \`skill\`), found \`${String(name)}\``);
      if (typeof when !== 'string' || when.trim() === '') problem(state, options.loc, 'reference-usage', 'Expected `when="…"`: the moment the model should read the reference (the link says it)');
      const unsubstituted = UNSUBSTITUTED.exec(finishRendered(text));
      if (unsubstituted)
        problem(state, options.loc, 'reference-usage', `Expected no \`${unsubstituted[0]}\` in a reference part: Claude Code substitutes it in SKILL.md, but the model reads a reference file as written`, 'Keep argument values in the body (e.g. name the value there and refer to it in the reference).');
      if (state.mode === 'inline') return `${text}\n`;
      const file = `${finishRendered(text)}\n`;
      state.references.push({ name: String(name), when: String(when ?? ''), text: file });
      // A plugin's reference file says <PLUGIN_ROOT> for the root (target.ts referenceFileText): the link, which
      // Claude Code substitutes, gives its value.
      const root = self.target === 'plugin' && file.includes('${CLAUDE_PLUGIN_ROOT}') ? `; in it, \`${PLUGIN_ROOT_PLACEHOLDER}\` is \`\${CLAUDE_PLUGIN_ROOT}\`` : '';
      return `Read [${String(name)}.md](${String(name)}.md) (in this skill's folder) when ${interpolated(String(when ?? '').trim())}${root}.\n`;
    });

    this.hb.registerHelper('spawn', function (this: unknown, name: unknown, options: Handlebars.HelperOptions & { loc?: HbsLoc }) {
      const state = options.data.bc as RenderState;
      if (typeof options.fn !== 'function') {
        problem(state, options.loc, 'spawn-usage', 'Expected `spawn` as a block: `{{#spawn "agent" count=N description="3-5 words"}}prompt{{/spawn}}`');
        return '';
      }
      const ref = checkAgent(state, options.loc, name, 'spawn');
      if (typeof name === 'string') state.spawned.add(name);
      const { count = 1, description } = options.hash as { count?: unknown; description?: unknown };
      const n = typeof count === 'number' ? count : typeof count === 'string' && /^\d+$/.test(count.trim()) ? Number(count) : undefined;
      const phrase = n === undefined && typeof count === 'string' && count.trim() !== '' ? count.trim() : undefined;
      if (n !== undefined ? !Number.isInteger(n) || n < 1 : phrase === undefined)
        problem(state, options.loc, 'spawn-usage', `Expected \`count\` to be a positive integer or a phrase like "one per ready ticket", found \`${String(count)}\``);
      const words = typeof description === 'string' ? description.trim().split(/\s+/).filter(Boolean).length : 0;
      if (typeof description !== 'string' || words < 3 || words > 5)
        problem(state, options.loc, 'spawn-usage', `Expected \`description\` of 3-5 words (the Agent tool's \`description\`), found ${typeof description === 'string' ? `${words} word${words === 1 ? '' : 's'}` : 'none'}`);
      const times = phrase === undefined && n !== undefined && n > 1 ? n : false;
      const prompt = String(options.fn(this)).replace(/^\s*\n/, '').trimEnd();
      // A block on its own lines loses its trailing newline (Handlebars standalone rule): give it back.
      return `${self.runner.render(
        self.spawnSource,
        { times, phrase: phrase === undefined ? false : interpolated(phrase), subagentType: interpolated(ref), taskDescription: interpolated(String(description ?? '')), promptText: prompt },
        options.data,
      )}\n`;
    });
  }

  private isBuiltin(name: string): boolean {
    return (BUILTIN_AGENTS as readonly string[]).includes(name) && !this.agents.has(name);
  }

  /**
   * Renders the body of `md` with `context` (every string in it is treated as interpolated text). Never throws
   * for template problems: syntax errors, missing variables (strict mode) and helper misuse become
   * diagnostics at their file position. `mode`: where `{{#reference}}` parts go ({@link ReferenceMode}).
   */
  renderBody(md: ParsedMarkdown, context: Record<string, unknown>, mode: ReferenceMode = 'inline'): RenderedBody {
    const state: RenderState = { md, diagnostics: [], spawned: new Set(), references: [], mode };
    let text = '';
    let formed: FormedShell[] = [];
    try {
      ({ text, found: formed } = finishRenderedWithFindings(this.runner.render(stripSentinels(md.body), interpolatedContext(context), { bc: state })));
    } catch (e) {
      const at = exceptionPosition(e);
      const p = at ? bodyLocToPosition(md, at.line, at.column) : bodyPosition(md, 0);
      state.diagnostics.push({ file: md.file, line: p.line, col: p.col, severity: 'error', code: 'template-error', message: exceptionMessage(e, Object.keys(context)) });
    }
    return { text, diagnostics: state.diagnostics, spawned: [...state.spawned].sort(), formed, references: state.references };
  }

  /**
   * Renders a file wrapper template (`command.md.hbs` / `agent.md.hbs`) with `context` as it is (no
   * interpolation marking: the body in it is already final). Throws ToolError('InvalidDefinitions') with a
   * diagnostic in the template file when it fails — a broken wrapper is a problem of the template folder, not of one definition.
   */
  renderWrapper(template: TemplateFile, context: Record<string, unknown>): string {
    try {
      return this.runner.render(template.source, context);
    } catch (e) {
      const at = exceptionPosition(e);
      const d: Diagnostic = { file: template.file, line: at?.line ?? 1, col: (at?.column ?? 0) + 1, severity: 'error', code: 'template-error', message: exceptionMessage(e, Object.keys(context)) };
      throw new ToolError('InvalidDefinitions', `The template ${template.file} does not render`, { diagnostics: [d] });
    }
  }
}
