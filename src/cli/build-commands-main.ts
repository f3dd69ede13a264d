// Entry point bundled to dist/build-commands.mjs; bin/build-commands.js calls main() with FdWriter streams.
// Output goes through fs.writeSync (FdWriter), not process.stdout: a reader that closes early
// (`build-commands lint --format sarif | head`) then ends the output quietly instead of an unhandled EPIPE.
export { main } from './build-commands.ts';
export { FdWriter } from './fd-writer.ts';
