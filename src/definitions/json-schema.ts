import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { AgentDefinitionSchema, CommandDefinitionSchema } from './schemas.ts';

/**
 * The JSON Schemas for editors (YAML language server), generated from the zod schemas with
 * `z.toJSONSchema(schema, { target: 'draft-07' })`. Keys are paths relative to the package root
 * (`schemas/command.schema.json`), values the exact file text (2-space JSON, trailing `\n`).
 */
export function definitionJsonSchemas(): Record<string, string> {
  const render = (schema: z.ZodType) => `${JSON.stringify(z.toJSONSchema(schema, { target: 'draft-07' }), null, 2)}\n`;
  return {
    'schemas/agent.schema.json': render(AgentDefinitionSchema),
    'schemas/command.schema.json': render(CommandDefinitionSchema),
  };
}

/**
 * Rewrites the committed JSON Schemas under `root` (the package root) when they differ from the generated
 * text. Returns the relative paths that changed. Run it with `npx tsx src/definitions/json-schema.ts`.
 */
export function writeDefinitionJsonSchemas(root: string): string[] {
  const changed: string[] = [];
  for (const [rel, text] of Object.entries(definitionJsonSchemas())) {
    const file = path.join(root, rel);
    let old: string | undefined;
    try {
      old = readFileSync(file, 'utf8');
    } catch {
      old = undefined;
    }
    if (old !== text) {
      writeFileAtomic(file, text);
      changed.push(rel);
    }
  }
  return changed;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
  const changed = writeDefinitionJsonSchemas(root);
  process.stdout.write(changed.length ? `updated ${changed.join(', ')}\n` : 'schemas up to date\n');
}
