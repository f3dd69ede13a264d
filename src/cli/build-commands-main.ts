// Entry point bundled to dist/build-commands.mjs; bin/build-commands.js calls main().
export { main } from './build-commands.ts';
