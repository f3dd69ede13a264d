declare const __BUILD_COMMANDS_VERSION__: string | undefined;

/**
 * The build-commands package version (`package.json` `version`), printed by `build-commands --version` and
 * `orchestrate --version`. Written in as a constant by the bundler (scripts/bundle.mjs) and by vitest's
 * `define` (vitest.config.ts), so the helper copied into a pack knows it with no package.json beside it;
 * `dev` when run from source any other way.
 */
export const VERSION: string = typeof __BUILD_COMMANDS_VERSION__ === 'string' ? __BUILD_COMMANDS_VERSION__ : 'dev';
