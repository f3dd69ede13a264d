import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { activeRules, LintConfigSchema } from '../../src/lint/config.ts';
import { RULES } from '../../src/lint/registry.ts';

it('.build-commands-lint.example.json is a valid configuration', () => {
  const raw = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../.build-commands-lint.example.json'), 'utf8'));
  const active = activeRules(RULES, LintConfigSchema.parse(raw));
  expect(active.find((a) => a.rule.meta.id === 'broken-link')).toBeUndefined();
  expect(active.find((a) => a.rule.meta.id === 'tool-alias')!.severity).toBe('error');
  expect(active.find((a) => a.rule.meta.id === 'token-budget')!.options).toEqual({ maxTokens: 4000, agent: 3000 });
});
