import type { GeneratedFile } from './compile.ts';

/** Placeholder until the plugin target lands: no extra files. */
export function pluginFiles(): GeneratedFile[] {
  return [];
}
