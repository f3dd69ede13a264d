import { LineCounter } from 'yaml';
import type { Position } from './diagnostic.ts';

/**
 * Converts a 0-based character offset in `text` into a 1-based line and column.
 * Uses `yaml`'s LineCounter so positions agree with the YAML parser's node ranges.
 * Offsets past the end clamp to the last position.
 */
export function offsetToPosition(lineCounter: LineCounter, offset: number): Position {
  const { line, col } = lineCounter.linePos(Math.max(0, offset));
  return { line, col };
}

/** Builds a LineCounter for a whole text (for positions outside any YAML parse). */
export function lineCounterFor(text: string): LineCounter {
  const lc = new LineCounter();
  lc.addNewLine(0);
  // indexOf finds each line break with a native search, several times faster than testing every character.
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
  return lc;
}
