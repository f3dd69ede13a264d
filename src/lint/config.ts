import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { isNode } from 'yaml';
import type { Diagnostic, Severity } from '../diagnostics/diagnostic.ts';
import { ToolError } from '../diagnostics/errors.ts';
import { pairOf } from '../definitions/yaml-pair.ts';
import { nearest } from '../definitions/suggest.ts';
import { parseJson } from './project.ts';
import type { ParsedJson, Rule } from './types.ts';
import { ownValue } from '../util/own.ts';
import { pathProblem } from '../util/safe-path.ts';

/** File names searched (in the cwd) for the lint configuration, first match wins; then `package.json` key `lint`. */
export const CONFIG_FILES = ['.build-commands-lint.json'] as const;

const SeveritySetting = z.enum(['off', 'info', 'warn', 'warning', 'error']);

/**
 * The lint configuration file (`.build-commands-lint.json`, or the `lint` key of `package.json`):
 * `rules` maps a rule id to a severity (`off`, `info`, `warn`, `error`) or `[severity, options]`;
 * `ignores` lists path globs (relative to the cwd) that are not linted.
 */
export const LintConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  rules: z.record(z.string(), z.union([SeveritySetting, z.tuple([SeveritySetting]).rest(z.unknown())])).default({}),
  ignores: z.array(z.string()).default([]),
});
/** A parsed lint configuration. */
export type LintConfig = z.output<typeof LintConfigSchema>;

/**
 * Named rule sets `build-commands lint --profile NAME` lays over the defaults (the configuration file still
 * wins): `directory` checks what the plugin directory (the catalog) refuses a submission for, as
 * `claude plugin validate --profile directory` does — manifest fields, README, licence and icon, as errors.
 */
export const PROFILES: Readonly<Record<string, LintConfig['rules']>> = {
  directory: { 'plugin-catalog': ['error', { require: ['version', 'description', 'author', 'license', 'readme', 'icon'] }] },
};

/**
 * The configuration with profile `name`'s rules under it (a rule the configuration sets keeps its setting).
 * Throws ToolError `InvalidArguments` for an unknown profile.
 */
export function withProfile(config: LintConfig, name: string | undefined): LintConfig {
  if (name === undefined) return config;
  const profile = ownValue(PROFILES, name);
  if (!profile) throw new ToolError('InvalidArguments', `Unknown --profile \`${name}\`, expected one of ${Object.keys(PROFILES).map((k) => `\`${k}\``).join(', ')}`);
  return { ...config, rules: { ...profile, ...config.rules } };
}

/** A rule as it runs: its effective severity and options after the configuration. */
export interface ActiveRule {
  rule: Rule;
  severity: Severity;
  options: unknown;
}

function severityOf(s: z.output<typeof SeveritySetting>): Severity | 'off' {
  return s === 'warn' ? 'warning' : s;
}

/** The message for one zod issue of a configuration, with what was expected (the path names the setting). */
function configIssueMessage(issue: z.core.$ZodIssue, value: unknown): string {
  const where = issue.path.map(String);
  if (issue.code === 'unrecognized_keys')
    return `Unknown key ${issue.keys.map((k) => `\`${k}\``).join(', ')}${where.length ? ` in \`${where.join('.')}\`` : ''}, expected \`$schema\`, \`rules\` or \`ignores\``;
  if (where[0] === 'rules' && where.length === 2)
    return `Unexpected setting \`${JSON.stringify(value)}\` for rule \`${where[1]}\`, expected \`off\`, \`info\`, \`warn\`, \`error\` or [severity, {options}]`;
  return `Invalid value for \`${where.join('.') || '(top level)'}\`: ${issue.message}`;
}

/**
 * Reads the configuration from `configPath` or, when not given, from the first of {@link CONFIG_FILES} in
 * `cwd`, else the `lint` key of `cwd/package.json`, else the defaults. Returns the config and the file it came
 * from (null for defaults). A byte order mark before the JSON is ignored (RFC 8259 allows it). Throws ToolError
 * `InvalidLintConfig` (exit 2) for unreadable or invalid files, with a diagnostic at the line and column of each
 * problem (a JSON syntax error, a setting that is not a severity, an unknown key; with `rules`, also a rule id
 * that is not one of them and options a rule's schema rejects).
 */
export function loadConfig(cwd: string, configPath?: string, rules?: readonly Rule[]): { config: LintConfig; file: string | null } {
  const invalid = (file: string, what: string, diagnostics: Diagnostic[] = []) =>
    new ToolError('InvalidLintConfig', `Lint configuration \`${file}\` ${what}`, { diagnostics });
  const at = (file: string, json: ParsedJson, p: readonly PropertyKey[], message: string, atKey: boolean): Diagnostic => {
    const key = atKey && p.length ? pairOf(p.length === 1 ? json.doc.contents : json.doc.getIn(p.slice(0, -1) as unknown[], true), p[p.length - 1] as string | number)?.key : undefined;
    let node: unknown = isNode(key) ? key : json.doc.getIn(p as unknown[], true);
    for (let n = p.length - 1; !(isNode(node) && node.range) && n >= 0; n--) node = n === 0 ? json.doc.contents : json.doc.getIn(p.slice(0, n) as unknown[], true);
    const { line, col } = isNode(node) && node.range ? json.lineCounter.linePos(node.range[0]) : { line: 1, col: 1 };
    return { file, line, col, severity: 'error', code: 'lint-config', message };
  };
  const parse = (file: string, json: ParsedJson, prefix: readonly string[] = []) => {
    const raw = prefix.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], json.value);
    const r = LintConfigSchema.safeParse(raw);
    if (!r.success) {
      const valueAt = (p: readonly PropertyKey[]) => p.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), raw);
      const unknownKey = (i: z.core.$ZodIssue) => (i.code === 'unrecognized_keys' ? [i.keys[0]!] : []);
      throw invalid(file, 'is not valid', r.error.issues.map((i) => at(file, json, [...prefix, ...i.path, ...unknownKey(i)], configIssueMessage(i, valueAt(i.path)), i.code === 'unrecognized_keys')));
    }
    const ruleProblems = rules ? ruleSettingProblems(rules, r.data) : [];
    if (ruleProblems.length) throw invalid(file, 'is not valid', ruleProblems.map((q) => at(file, json, [...prefix, 'rules', ...q.path], q.message, q.path.length === 1)));
    return { config: r.data, file: prefix.length ? `${file}#${prefix.join('.')}` : file };
  };
  const readJson = (file: string): ParsedJson => {
    let text: string;
    try {
      text = readFileSync(path.resolve(cwd, file), 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw invalid(file, `cannot be read: ${pathProblem(code) ?? code ?? (e as Error).message}`);
    }
    const json = parseJson(text.replace(/^\uFEFF/, ' ')); // a space keeps every offset where it was
    if (json.error) throw invalid(file, 'is not valid JSON', [{ file, line: json.error.line, col: json.error.col, severity: 'error', code: 'lint-config', message: `Expected JSON: ${json.error.message}` }]);
    return json;
  };
  if (configPath) return parse(configPath, readJson(configPath));
  for (const f of CONFIG_FILES) if (existsSync(path.join(cwd, f))) return parse(f, readJson(f));
  if (existsSync(path.join(cwd, 'package.json'))) {
    const pkg = readJson('package.json');
    if (pkg.value && typeof pkg.value === 'object' && Object.hasOwn(pkg.value, 'lint')) return parse('package.json', pkg, ['lint']);
  }
  return { config: LintConfigSchema.parse({}), file: null };
}

/**
 * What is wrong with `config`'s rule settings against the registered `rules`: an unknown rule id (path `[id]`,
 * with the nearest id when one is close) and each option a rule's schema rejects (path `[id, 1, ...option]`).
 */
function ruleSettingProblems(rules: readonly Rule[], config: LintConfig): { path: (string | number)[]; message: string }[] {
  const byId = new Map(rules.map((r) => [r.meta.id, r]));
  const out: { path: (string | number)[]; message: string }[] = [];
  for (const [id, setting] of Object.entries(config.rules)) {
    const rule = byId.get(id);
    if (!rule) {
      const guess = nearest(id, [...byId.keys()]);
      out.push({ path: [id], message: `Unknown rule \`${id}\`, expected ${guess ? `\`${guess}\`` : 'a rule id (docs/rules/)'}` });
      continue;
    }
    if (!Array.isArray(setting) || setting.length < 2) continue;
    const parsed = rule.meta.options.safeParse(setting[1] ?? {});
    if (!parsed.success)
      for (const i of parsed.error.issues) out.push({ path: [id, 1, ...i.path.map((k) => (typeof k === 'number' ? k : String(k)))], message: `Invalid option \`${i.path.join('.') || '(options)'}\` of rule \`${id}\`: ${i.message}` });
  }
  return out;
}

/**
 * The rules that run under `config`: every registered rule at its default severity unless the config
 * changes it; options are the rule's schema defaults merged with the configured ones.
 * Throws ToolError `InvalidLintConfig` for an unknown rule id or options its schema rejects.
 */
export function activeRules(rules: readonly Rule[], config: LintConfig, source = 'configuration'): ActiveRule[] {
  const problems = ruleSettingProblems(rules, config);
  if (problems.length) throw new ToolError('InvalidLintConfig', `${problems.map((q) => q.message).join('; ')} (in ${source})`);
  const out: ActiveRule[] = [];
  for (const rule of rules) {
    const setting = config.rules[rule.meta.id];
    const sev = setting === undefined ? rule.meta.severity : severityOf(Array.isArray(setting) ? setting[0] : setting);
    if (sev === 'off') continue;
    const given = Array.isArray(setting) && setting.length > 1 ? setting[1] : {};
    out.push({ rule, severity: sev, options: rule.meta.options.parse(given ?? {}) }); // checked above
  }
  return out;
}

