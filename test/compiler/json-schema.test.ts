import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { definitionJsonSchemas } from '../../src/definitions/json-schema.ts';
import { ROOT } from './helpers.ts';

describe('committed JSON Schemas', () => {
  it('match the zod schemas (regenerate with `npx tsx src/definitions/json-schema.ts`)', () => {
    for (const [rel, text] of Object.entries(definitionJsonSchemas())) {
      expect(readFileSync(path.join(ROOT, rel), 'utf8'), `${rel} is stale`).toBe(text);
    }
  });

  it('are valid draft-07 and agree with zod on samples', () => {
    const ajv = new Ajv({ strict: false });
    const schemas = definitionJsonSchemas();
    const command = ajv.compile(JSON.parse(schemas['schemas/command.schema.json']!));
    const agent = ajv.compile(JSON.parse(schemas['schemas/agent.schema.json']!));
    expect(command({ description: 'x', 'allowed-tools': ['Read', 'Bash(git status:*)'], model: 'sonnet' })).toBe(true);
    expect(command({ description: 'x', 'allowed-tools': ['Frobnicate'] })).toBe(false);
    expect(command({ description: 'x', allowed_tools: ['Read'] })).toBe(false);
    expect(agent({ name: 'worker', description: 'x', tools: ['Read'], color: 'blue' })).toBe(true);
    expect(agent({ name: 'Worker', description: 'x' })).toBe(false);
    expect(agent({ name: 'worker', description: 'x', model: 'gpt-4' })).toBe(false);
  });
});
