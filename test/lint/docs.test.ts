import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { renderRulesDoc } from '../../src/lint/docs.ts';
import { RULES } from '../../src/lint/registry.ts';

const file = path.join(import.meta.dirname, '../../docs/rules/README.md');

it('docs/rules/README.md matches the rules metadata (regenerate: UPDATE_RULE_DOCS=1 npx vitest run test/lint/docs.test.ts)', () => {
  const want = renderRulesDoc(RULES);
  if (process.env.UPDATE_RULE_DOCS) writeFileSync(file, want);
  expect(readFileSync(file, 'utf8')).toBe(want);
  for (const r of RULES) expect(want).toContain(`## ${r.meta.id}\n`);
});
