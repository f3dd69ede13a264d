import { readFileSync } from 'node:fs';

declare const __BUILD_COMMANDS_VERSION__: string | undefined;

/**
 * The build-commands package version (`package.json` `version`), printed by `build-commands --version` and
 * `orchestrate --version`. The bundler (scripts/bundle.mjs) writes it in as a constant, so the helper copied
 * into a pack knows it with no package.json beside it; run from source, it is read from package.json.
 */
export const VERSION: string =
  typeof __BUILD_COMMANDS_VERSION__ === 'string'
    ? __BUILD_COMMANDS_VERSION__
    : (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
