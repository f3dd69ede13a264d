import type { Root } from 'mdast';
import type { Document, LineCounter } from 'yaml';
import type { z } from 'zod';
import type { Position, Severity } from '../diagnostics/diagnostic.ts';
import type { ParsedMarkdown } from '../definitions/frontmatter.ts';
import type { ClientFrontmatter } from '../definitions/client-frontmatter.ts';

/**
 * What a linted file is to Claude Code:
 * - `command`: a slash command (`.claude/commands/**.md`, a plugin's `commands/**.md`, or a command definition)
 * - `agent`: a subagent (`.claude/agents/*.md`, a plugin's `agents/*.md`, or an agent definition)
 * - `skill`: a skill (`.claude/skills/<name>/SKILL.md`, a plugin's `skills/<name>/SKILL.md`)
 * - `plugin-manifest`: `.claude-plugin/plugin.json`
 * - `unscanned`: a markdown file inside a plugin that looks like a command or agent but sits outside the
 *   folders Claude Code scans (CLAUDE-CODE.md, Plugins: `commands/`, `agents/`, `skills/` at the plugin root)
 * - `unloaded-skill`: a `SKILL.md` under `skills/` that Claude Code does not load: another case (`skill.md`) or
 *   nested deeper than `skills/<name>/` (seen on 2.1.329 and 2.1.197, test/e2e/probe-skills.test.ts)
 * - `plugin-hooks`: a plugin's `hooks/hooks.json`
 * - `unreadable`: a candidate file the linter could not read as text (over the size cap, binary, invalid UTF-8,
 *   a link out of the linted root or in a loop); `problem` says which
 */
export type FileKind = 'command' | 'agent' | 'skill' | 'plugin-manifest' | 'unscanned' | 'unloaded-skill' | 'plugin-hooks' | 'unreadable';

/**
 * Where a file comes from, which decides how its body is read:
 * - `claude`: a hand-written or built `.claude/` tree (what Claude Code reads as is)
 * - `plugin`: a plugin folder (names namespaced `<plugin>:<name>`)
 * - `definitions`: build-commands source definitions (`commands/`, `agents/` at a lint root; Handlebars bodies)
 */
export type Origin = 'claude' | 'plugin' | 'definitions';

/** A plugin the file belongs to: its `name` from `plugin.json` and its root folder (display path). */
export interface PluginInfo {
  name: string;
  root: string;
}

/** A JSON file parsed with positions (JSON is YAML, so `yaml`'s Document keeps node ranges). */
export interface ParsedJson {
  text: string;
  doc: Document.Parsed;
  value: unknown;
  lineCounter: LineCounter;
  /** Set when the text is not valid JSON: the message and 1-based position of the first error. */
  error?: { message: string } & Position;
}

/**
 * One file the linter checks.
 * - `path`: display path (relative to the cwd, `/` separators)
 * - `scope`: the tree it belongs to (a `.claude` folder, a plugin root, a definitions root); whole-tree checks
 *   (duplicate names, agent references) compare files within one scope
 * - `name`: the name Claude Code gives it: a command's invocation name (`ns:name`, `pk:ns:name` in a plugin),
 *   a skill's folder name, an agent's frontmatter `name` (falls back to the file name)
 */
export interface LintFile {
  path: string;
  kind: FileKind;
  origin: Origin;
  scope: string;
  name: string;
  plugin?: PluginInfo;
  md?: ParsedMarkdown;
  /**
   * How Claude Code read the frontmatter (every origin but `definitions`, which the compiler reads strictly):
   * `md.doc` / `md.data` then hold what the client reads, after its repair of non-strict YAML.
   */
  client?: ClientFrontmatter;
  json?: ParsedJson;
  /** Why an `unreadable` file could not be read (one finding, rule `file-read`). */
  problem?: string;
  /** The body as mdast (remark), parsed once on first use. Offsets are body offsets. */
  mdast(): Root;
}

/** Every file of one lint run plus lookups shared by the whole-tree checks. */
export interface LintProject {
  files: LintFile[];
  /** Existing files (display paths), for relative link checks. */
  exists(path: string): boolean;
  /** The text of a file that is not itself linted (a plugin's README), or null when it cannot be read. */
  read(path: string): string | null;
}

/** One finding as a rule reports it; the runner adds file, severity and rule id. */
export interface Report extends Position {
  message: string;
  hint?: string;
  endLine?: number;
  endCol?: number;
}

/** What a rule's check functions receive. `options` are the rule's options after defaults. */
export interface RuleContext<O> {
  options: O;
  project: LintProject;
  report(file: LintFile, report: Report): void;
}

/** One runnable example: files (display path → content), all linted together with only this rule on. */
export type ExampleFiles = Record<string, string>;

/**
 * A rule's examples, which are its tests and its docs. `expected` holds the exact diagnostic lines
 * (`file:line:col: severity message [rule-id]`, no hint) in sorted order. `options` overrides the defaults.
 */
export interface RuleExamples {
  valid: { files: ExampleFiles; options?: Record<string, unknown>; note?: string }[];
  invalid: { files: ExampleFiles; options?: Record<string, unknown>; expected: string[]; note?: string }[];
}

/** A rule's metadata: the permanent id (= file name), a one-line description, default severity, docs, options. */
export interface RuleMeta<S extends z.ZodType = z.ZodType> {
  id: string;
  description: string;
  severity: Severity;
  /** Markdown: why it matters (with the Claude Code source) and how to fix it. */
  docs: string;
  /** zod schema of the options object; every field has a default. */
  options: S;
}

/**
 * A lint rule (one file each in `src/lint/rules/`). `checkFile` runs once per file; `checkProject` (for
 * whole-tree checks) runs once after every file is parsed. Either or both may be present.
 */
export interface Rule<S extends z.ZodType = z.ZodType> {
  meta: RuleMeta<S>;
  examples: RuleExamples;
  checkFile?(file: LintFile, ctx: RuleContext<z.output<S>>): void;
  checkProject?(project: LintProject, ctx: RuleContext<z.output<S>>): void;
}

/** Helper to declare a rule with its options type inferred from the schema. */
export function defineRule<S extends z.ZodType>(rule: Rule<S>): Rule<S> {
  return rule;
}
