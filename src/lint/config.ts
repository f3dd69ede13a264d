import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Severity } from '../diagnostics/diagnostic.ts';
import { ToolError } from '../diagnostics/errors.ts';
import type { Rule } from './types.ts';
import { ownValue } from '../util/own.ts';

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

/**
 * Reads the configuration from `configPath` or, when not given, from the first of {@link CONFIG_FILES} in
 * `cwd`, else the `lint` key of `cwd/package.json`, else the defaults. Returns the config and the file it came
 * from (null for defaults). Throws ToolError `InvalidLintConfig` (exit 2) for unreadable or invalid files.
 */
export function loadConfig(cwd: string, configPath?: string): { config: LintConfig; file: string | null } {
  const fail = (file: string, message: string) => {
    throw new ToolError('InvalidLintConfig', `Lint configuration \`${file}\` is not valid: ${message}`);
  };
  const parse = (file: string, raw: unknown) => {
    const r = LintConfigSchema.safeParse(raw);
    if (!r.success) fail(file, z.prettifyError(r.error).replace(/\n/g, '; '));
    return { config: r.data!, file };
  };
  const readJson = (file: string): unknown => {
    try {
      return JSON.parse(readFileSync(path.resolve(cwd, file), 'utf8'));
    } catch (e) {
      return fail(file, (e as Error).message);
    }
  };
  if (configPath) return parse(configPath, readJson(configPath));
  for (const f of CONFIG_FILES) if (existsSync(path.join(cwd, f))) return parse(f, readJson(f));
  if (existsSync(path.join(cwd, 'package.json'))) {
    const pkg = readJson('package.json') as Record<string, unknown> | null;
    if (pkg && typeof pkg === 'object' && 'lint' in pkg) return parse('package.json#lint', pkg.lint);
  }
  return { config: LintConfigSchema.parse({}), file: null };
}

/**
 * The rules that run under `config`: every registered rule at its default severity unless the config
 * changes it; options are the rule's schema defaults merged with the configured ones.
 * Throws ToolError `InvalidLintConfig` for an unknown rule id or options its schema rejects.
 */
export function activeRules(rules: readonly Rule[], config: LintConfig, source = 'configuration'): ActiveRule[] {
  const byId = new Map(rules.map((r) => [r.meta.id, r]));
  for (const id of Object.keys(config.rules))
    if (!byId.has(id))
      throw new ToolError('InvalidLintConfig', `Unknown rule \`${id}\` in ${source}, expected one of ${[...byId.keys()].map((k) => `\`${k}\``).join(', ')}`);
  const out: ActiveRule[] = [];
  for (const rule of rules) {
    const setting = config.rules[rule.meta.id];
    const sev = setting === undefined ? rule.meta.severity : severityOf(Array.isArray(setting) ? setting[0] : setting);
    if (sev === 'off') continue;
    const given = Array.isArray(setting) && setting.length > 1 ? setting[1] : {};
    const parsed = rule.meta.options.safeParse(given ?? {});
    if (!parsed.success)
      throw new ToolError('InvalidLintConfig', `Options of rule \`${rule.meta.id}\` in ${source} are not valid: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
    out.push({ rule, severity: sev, options: parsed.data });
  }
  return out;
}

