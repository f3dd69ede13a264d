/** A file's bytes as text, or why they are not UTF-8 text (a message: what was found, what was expected). */
export type DecodedText = { text: string } | { problem: string };

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes a text file's `bytes` as strict UTF-8, a byte order mark kept (so offsets stay file offsets): bytes
 * with NUL (a binary file) or that are not valid UTF-8 give a `problem` instead of text with replacement
 * characters. Shared by the linter and the build, so both refuse the same files with the same words.
 */
export function decodeUtf8Text(bytes: Uint8Array): DecodedText {
  if (bytes.includes(0)) return { problem: 'File is binary (it holds NUL bytes), expected UTF-8 text' };
  try {
    return { text: UTF8.decode(bytes) };
  } catch {
    return { problem: 'File is not valid UTF-8, expected UTF-8 text (Claude Code would read replacement characters)' };
  }
}
