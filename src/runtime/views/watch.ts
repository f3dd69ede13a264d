/**
 * `dashboard --watch`: the redraw logic, separate from the clock and the terminal so it can be tested.
 * On a TTY the screen is cleared and the frame redrawn only when its text changed; when the output is not
 * a TTY (piped, a file, a test buffer) the dashboard is printed once and the loop ends.
 */

/** ANSI: cursor home + clear screen. */
export const CLEAR_SCREEN = '\u001b[H\u001b[2J';

/**
 * What to write for the next frame, or null to write nothing: on a TTY, `CLEAR_SCREEN + next` when `next`
 * differs from `previous` (null before the first frame); off a TTY, `next` for the first frame only.
 */
export function watchFrame(previous: string | null, next: string, tty: boolean): string | null {
  if (!tty) return previous === null ? next : null;
  return next === previous ? null : CLEAR_SCREEN + next;
}

/** One rendered frame: its text, and `final` when the session reached a final status (stop watching). */
export interface WatchRender {
  readonly text: string;
  readonly final: boolean;
}

/**
 * Options of {@link runWatch}: `render` reads the state and renders a frame; `write` prints; `tty` is the
 * output a TTY; `intervalMs` between frames (e.g. 2000 ms); `sleep` waits (inject a fake in tests);
 * `shouldStop` is checked before each frame (e.g. set by SIGINT); `maxFrames` caps the loop (default: none).
 */
export interface WatchOptions {
  readonly render: () => WatchRender | Promise<WatchRender>;
  readonly write: (text: string) => void;
  readonly tty: boolean;
  readonly intervalMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly shouldStop?: () => boolean;
  readonly maxFrames?: number;
}

/**
 * Runs the watch loop: render, write when {@link watchFrame} says so, sleep `intervalMs`, repeat until the
 * session is final, `shouldStop()` is true, `maxFrames` frames were rendered, or — off a TTY — after the
 * first frame. Resolves to the number of frames rendered.
 */
export async function runWatch(options: WatchOptions): Promise<number> {
  let previous: string | null = null;
  let frames = 0;
  for (;;) {
    if (options.shouldStop?.()) return frames;
    const frame = await options.render();
    frames++;
    const out = watchFrame(previous, frame.text, options.tty);
    if (out !== null) options.write(out);
    previous = frame.text;
    if (!options.tty || frame.final) return frames;
    if (options.maxFrames !== undefined && frames >= options.maxFrames) return frames;
    await options.sleep(options.intervalMs);
  }
}
