/**
 * The contract every CLI entry point follows (after markdownlint-cli2 and citty): a plain async function
 * that takes argv and streams and resolves to an exit code. Nothing under src/ calls process.exit.
 */
export interface Writable {
  write(chunk: string): unknown;
  /** Present on real TTY streams; absent or false for pipes and test buffers. */
  isTTY?: boolean;
  columns?: number;
}

/** Input of a CLI `main`: arguments (without `node` and the script), working directory, streams, env. */
export interface MainOptions {
  argv: string[];
  cwd: string;
  stdout: Writable;
  stderr: Writable;
  env?: Record<string, string | undefined>;
}

/** 0 ok, 1 findings / stale / invalid input, 2 the tool could not run. */
export type ExitCode = 0 | 1 | 2;

/** True when colour may be used on `stream`: a TTY, and NO_COLOR unset (https://no-color.org). */
export function useColor(stream: Writable, env: Record<string, string | undefined> = {}): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

/** A string sink for tests: collects everything written to it. */
export class BufferStream implements Writable {
  text = '';
  isTTY = false;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}
