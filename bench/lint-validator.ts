/**
 * Runs Claude Code's own validator (`claude plugin validate --strict --json`, from the pinned client
 * `@anthropic-ai/claude-code`, run-claude.ts) and build-commands lint side by side on the fixture corpus
 * (test/fixtures/lint-corpus/<defect-class>/). Used by bench/lint-validator-compare.ts (prints the table) and
 * test/lint/corpus.test.ts (asserts that every validator finding is also ours).
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../src/diagnostics/diagnostic.ts';
import { activeRules, LintConfigSchema } from '../src/lint/config.ts';
import { RULES } from '../src/lint/registry.ts';
import { lintPaths } from '../src/lint/runner.ts';
import { claudeBin } from '../test/e2e/stand-in/run-claude.ts';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
/** The corpus folder. */
export const CORPUS = path.join(root, 'test/fixtures/lint-corpus');
const CLAUDE = claudeBin(); // the pinned client, installed on first use (test/e2e/stand-in/run-claude.ts)

/** One finding of Claude Code's validator: the file (relative to the class folder), level, field path, message. */
export interface ClaudeFinding {
  file: string;
  level: 'error' | 'warning';
  field: string | null;
  message: string;
}

/** The defect classes of the corpus (folder names), sorted. */
export function corpusClasses(): string[] {
  return readdirSync(CORPUS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/** What the validator is pointed at in a class folder: the plugin folder `pk/` when present, else `.claude/`. */
export function validatorTarget(cls: string): string {
  return existsSync(path.join(CORPUS, cls, 'pk')) ? 'pk' : '.claude';
}

/**
 * Runs `claude plugin validate --strict --json TARGET` in the class folder (offline, fresh HOME) and returns its
 * errors and warnings (manifest and every component). Rejects when the output is not the JSON report.
 */
export function runClaudeValidate(cls: string, home: string): Promise<ClaudeFinding[]> {
  const cwd = path.join(CORPUS, cls);
  return new Promise((resolve, reject) => {
    execFile(CLAUDE, ['plugin', 'validate', '--strict', '--json', validatorTarget(cls)], { cwd, env: { ...process.env, HOME: home, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' }, timeout: 60_000 }, (err, stdout) => {
      let report: { manifest?: { errors?: unknown[]; warnings?: unknown[] } | null; contents?: { file: string; errors?: unknown[]; warnings?: unknown[] }[] | null };
      try {
        report = JSON.parse(stdout);
      } catch {
        reject(new Error(`claude plugin validate gave no JSON for ${cls}: ${err?.message ?? stdout.slice(0, 200)}`));
        return;
      }
      const out: ClaudeFinding[] = [];
      const add = (file: string, list: unknown[] | undefined, level: ClaudeFinding['level']) => {
        for (const e of (list ?? []) as { path?: string | null; message: string }[]) out.push({ file, level, field: e.path ?? null, message: e.message });
      };
      const manifest = `${validatorTarget(cls)}/.claude-plugin/plugin.json`;
      add(manifest, report.manifest?.errors, 'error');
      add(manifest, report.manifest?.warnings, 'warning');
      for (const c of report.contents ?? []) {
        const rel = path.relative(cwd, c.file).split(path.sep).join('/');
        add(rel, c.errors, 'error');
        add(rel, c.warnings, 'warning');
      }
      resolve(out);
    });
  });
}

/** build-commands lint on a class folder with the default rules (paths relative to the class folder). */
export async function runOurs(cls: string): Promise<Diagnostic[]> {
  const rules = activeRules(RULES, LintConfigSchema.parse({}));
  return (await lintPaths(['.'], path.join(CORPUS, cls), rules)).diagnostics;
}

/** Our rules that answer a validator finding about this field (null field: any of our rules in the file). */
const FIELD_RULES: Record<string, string[]> = {
  frontmatter: ['frontmatter-parse', 'frontmatter-start', 'description-missing'],
  description: ['description-missing', 'agent-required', 'value-type', 'value-coercion', 'plugin-manifest', 'plugin-catalog'],
  name: ['agent-required', 'agent-name', 'value-type', 'plugin-manifest'],
  version: ['plugin-manifest', 'plugin-catalog'],
  author: ['plugin-manifest', 'plugin-catalog'],
  json: ['plugin-manifest'],
};

/**
 * The diagnostic of ours that covers a validator finding: same file and a rule for that field; undefined if
 * none. A validator error needs an error or warning of ours; a validator warning may be answered by an `info`
 * (catalog advice such as a missing `version`: the client loads the plugin without it, so it is `info` here).
 */
export function coveringDiagnostic(f: ClaudeFinding, ours: readonly Diagnostic[]): Diagnostic | undefined {
  const rules = f.field ? FIELD_RULES[f.field] : undefined;
  const levels = f.level === 'warning' ? ['error', 'warning', 'info'] : ['error', 'warning'];
  return ours.find((d) => d.file === f.file && levels.includes(d.severity) && (!rules || rules.includes(d.code)));
}
