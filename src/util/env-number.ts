import { ToolError } from '../diagnostics/errors.ts';

/**
 * A number from environment variable `name`: `fallback` when it is unset or empty; otherwise the value must be
 * a plain decimal number (`30000`, `1.5`) from `min` to `max` (inclusive). A set but unreadable value is an error,
 * not the fallback: `ORCHESTRATE_LOCK_TIMEOUT_MS=30s` silently meaning the default hides the typo.
 * @throws ToolError `InvalidEnvironment` (exit 1, nothing changed) naming the variable, its value and the range.
 */
export function envNumber(env: Record<string, string | undefined>, name: string, fallback: number, range: { min: number; max: number; unit: string }): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const n = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(n >= range.min && n <= range.max)) {
    throw new ToolError('InvalidEnvironment', `${name}=\`${text}\` is not a number of ${range.unit} from ${range.min} to ${range.max}`);
  }
  return n;
}
