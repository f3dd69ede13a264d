import { createHash } from 'node:crypto';
import path from 'node:path';
import { ToolError } from '../diagnostics/errors.ts';
import { readNoFollow, safePath, type Display } from '../util/safe-path.ts';

/** Largest manifest read, in bytes (16 MiB: ~150,000 files). */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** The manifest's file name inside the output folder. */
export const MANIFEST_NAME = '.build-commands-manifest.json';

/**
 * The record of what a build generated: every file (path relative to the output folder) with the sha256 of
 * its bytes. The build only overwrites or deletes files listed here whose bytes still match.
 */
export interface Manifest {
  generator: 'build-commands';
  target: string;
  files: Record<string, string>;
}

/** The sha256 of `data`, lowercase hex. */
export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The manifest's exact text: 2-space JSON, files sorted by path, trailing `\n` (deterministic). */
export function manifestText(target: string, files: readonly { path: string; content: Uint8Array }[]): string {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const manifest: Manifest = { generator: 'build-commands', target, files: Object.fromEntries(sorted.map((f) => [f.path, sha256(f.content)])) };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * Reads the manifest in `out`; undefined when there is none. Throws ToolError('OutputConflict') when the file
 * exists but is not a build-commands manifest (then the build cannot know which files are its own);
 * ToolError('UnsafePath') when it is a symbolic link, ('FileTooLarge') above {@link MAX_MANIFEST_BYTES}.
 */
export function readManifest(out: string, display?: Display): Manifest | undefined {
  const file = safePath(out, MANIFEST_NAME, { display, verb: 'read' });
  let text: string;
  try {
    text = readNoFollow(file, { display, maxBytes: MAX_MANIFEST_BYTES }).toString('utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const m = JSON.parse(text) as Manifest;
    if (m && m.generator === 'build-commands' && m.files && typeof m.files === 'object') return m;
  } catch {
    // falls through to the conflict below
  }
  throw new ToolError('OutputConflict', `${file} is not a build-commands manifest, so the build cannot tell its own files from yours`);
}
