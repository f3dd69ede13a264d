import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { cli, tree } from './helpers.ts';

// The SARIF 2.1.0 schema, vendored unchanged (see test/fixtures/lint-sarif/SOURCE.md; JSON Schema 2020-12).
// One of its `pattern`s is not valid with the `u` flag, hence unicodeRegExp: false; formats are checked with
// simple patterns (ajv-formats is not installed).
function sarifValidator() {
  const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, '../fixtures/lint-sarif/sarif-schema-2.1.0.json'), 'utf8'));
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:\S*$/i);
  ajv.addFormat('uri-reference', /^\S*$/);
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  return ajv.compile(schema);
}

describe('--format sarif', () => {
  it('is valid SARIF 2.1.0 and places each finding on its line for code scanning', async () => {
    const dir = tree({
      '.claude/commands/bad file.md': '---\ndescription: "Deploy"\nallowed-tools: all, Task\n---\nRun it with $1.\n',
      '.claude/agents/nodesc.md': '---\nname: nodesc\n---\nPrompt\n',
    });
    const r = await cli(dir, 'lint', '--format', 'sarif');
    expect(r.code).toBe(1);
    const log = JSON.parse(r.out);
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const results = log.runs[0].results as { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[] }[];
    const tool = results.find((x) => x.ruleId === 'unknown-tool')!;
    expect(tool.level).toBe('warning');
    expect(tool.locations[0]!.physicalLocation.artifactLocation.uri).toBe('.claude/commands/bad%20file.md');
    expect(tool.locations[0]!.physicalLocation.region).toEqual({ startLine: 3, startColumn: 16 });
    expect(results.find((x) => x.ruleId === 'tool-alias')!.level).toBe('note');
    const rules = log.runs[0].tool.driver.rules as { id: string }[];
    for (const res of log.runs[0].results as { ruleId: string; ruleIndex: number }[]) expect(rules[res.ruleIndex]!.id).toBe(res.ruleId);
  });

  it('rejects a log the schema forbids (the validator is live)', () => {
    const validate = sarifValidator();
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
  });
});
