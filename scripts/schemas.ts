// Regenerates every committed JSON Schema from its zod schema (`npm run schemas`); the drift tests fail
// when the committed files and the schemas disagree.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDefinitionJsonSchemas } from '../src/definitions/json-schema.ts';
import { planJsonSchemaText } from '../src/definitions/plan-schema-json.ts';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
writeDefinitionJsonSchemas(root);
writeFileSync(path.join(root, 'schemas/plan.schema.json'), planJsonSchemaText());
console.log('schemas/command.schema.json, schemas/agent.schema.json, schemas/plan.schema.json written');
