import * as z from 'zod';
import { PlanSchema } from './plan.ts';

/**
 * The JSON Schema of a plan file for editors (YAML language server), generated from {@link PlanSchema} —
 * never written by hand. Draft-07; describes the INPUT form (estimates as `90m` / `2h` / minutes, defaults
 * optional). `schemas/plan.schema.json` holds this text; a test fails when they drift.
 */
export function planJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(PlanSchema, { target: 'draft-07', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://build-commands.dev/schemas/plan.schema.json',
    title: 'build-commands execution plan',
    description: 'A plan of tickets for the orchestrate runtime helper (orchestrate init PLAN.yaml).',
  };
}

/** {@link planJsonSchema} as the committed file's text (2-space JSON, trailing newline). */
export function planJsonSchemaText(): string {
  return `${JSON.stringify(planJsonSchema(), null, 2)}\n`;
}
