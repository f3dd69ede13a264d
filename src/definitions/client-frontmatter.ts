import { isMap, isScalar, parseDocument } from 'yaml';
import { FRONTMATTER_YAML_OPTIONS, splitMarkdown, toJsErrorOffset, YAML_MAX_ALIAS_COUNT, type ParsedMarkdown } from './frontmatter.ts';

/**
 * How Claude Code read a file's frontmatter (seen in the 2.1.197 and 2.1.329 binaries and proven with the
 * oracle, test/e2e/lint-oracle.test.ts):
 * - `none`: no block (no `---` on the first line; blank lines before it count as none);
 * - `strict`: the block parsed as written;
 * - `recovered`: the block did not parse, but did after the client's repair: every top-level line
 *   `key: value` (key of letters, `_`, `-` only) whose unquoted value holds one of `{}[]*&#!|>%@` + backquote
 *   or `: ` (and is not a flow list) is wrapped in double quotes, and leading tabs become two spaces each;
 * - `dropped`: neither parsed; the client reads **no** metadata (a command's description becomes its first
 *   body line, an agent is not loaded).
 */
export type ClientStatus = 'none' | 'strict' | 'recovered' | 'dropped';

/** One line the client quoted to recover, with its 1-based line in the file. */
export interface QuotedLine {
  key: string;
  value: string;
  line: number;
}

/** What Claude Code made of a frontmatter block; see {@link ClientStatus}. */
export interface ClientFrontmatter {
  status: ClientStatus;
  /** Lines quoted by the repair (status `recovered`). */
  quoted: QuotedLine[];
  /** True when the repair replaced leading tabs (status `recovered`). */
  tabs: boolean;
  /** Keys written more than once: the client reads the last one (seen on 2.1.329 and 2.1.197). */
  duplicates: { key: string; line: number }[];
  /**
   * Set when the client's block ends before the closing `---` line: it ends at the first `---` anywhere, so a
   * value holding `---` cuts the frontmatter there (seen on 2.1.329: `description: a --- b` reads `a`, the
   * keys after it are lost). 1-based line and column of that `---`.
   */
  cut?: { line: number; col: number };
  /** The YAML error that made the client drop the block (status `dropped`), first line only. */
  error?: string;
  /** 1-based line and column of that error. */
  errorAt?: { line: number; col: number };
}

/** A markdown file as Claude Code reads it: `doc`/`data` hold what the client reads; `client` says how. */
export type ClientMarkdown = ParsedMarkdown & { client: ClientFrontmatter };

/** The client's frontmatter block (same regex in 2.1.197 and 2.1.329): ends at the first `---`, even mid-line. */
const CLIENT_BLOCK = /^---\s*\n([\s\S]*?)---\s*\n?/;
/** Values the client's repair quotes (2.1.197 and 2.1.329). */
const LOSSY = /[{}[\]*&#!|>%@`]|: /;
const REPAIRABLE_LINE = /^([a-zA-Z_-]+):\s+(\S.*)$/;

function lenientParse(yaml: string) {
  return parseDocument(yaml, { ...FRONTMATTER_YAML_OPTIONS, uniqueKeys: false, strict: false });
}

/** The client's repair of one block: quote lossy top-level values, then two spaces per leading tab. */
function repair(yaml: string, firstLine: number): { text: string; quoted: QuotedLine[]; tabs: boolean } {
  const quoted: QuotedLine[] = [];
  const lines = yaml.split('\n').map((line, i) => {
    const m = REPAIRABLE_LINE.exec(line.replace(/\r$/, ''));
    if (!m) return line;
    const [, key, value] = m as unknown as [string, string, string];
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) return line;
    if (value.startsWith('[') && value.endsWith(']')) {
      const flow = lenientParse(value);
      if (flow.errors.length === 0 && Array.isArray(flow.toJS())) return line;
    }
    if (!LOSSY.test(value)) return line;
    quoted.push({ key, value, line: firstLine + i });
    return `${key}: "${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"${line.endsWith('\r') ? '\r' : ''}`;
  });
  const joined = lines.join('\n');
  const text = joined.replace(/^\t+/gm, (t) => '  '.repeat(t.length));
  return { text, quoted, tabs: text !== joined };
}

function duplicateKeys(md: ParsedMarkdown): { key: string; line: number }[] {
  const out: { key: string; line: number }[] = [];
  if (!md.doc || !isMap(md.doc.contents)) return out;
  const seen = new Set<string>();
  for (const pair of md.doc.contents.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const range = pair.key.range;
    if (seen.has(key) && range) out.push({ key, line: md.lineCounter.linePos(md.yamlStart + range[0]).line });
    seen.add(key);
  }
  return out;
}

/**
 * Parses `text` (the content of `file`) the way Claude Code does ({@link ClientStatus}). Line numbers are
 * those of the file: the repair keeps every line where it was (a quoted value's columns move by one).
 * `problems` keeps only `frontmatter-start`, plus `frontmatter-parse` when the client drops the block
 * (message: what the client then does) and `frontmatter-unclosed`/`frontmatter-not-a-map`; how the client
 * recovered is in `client`. The YAML is parsed once as the client does (twice more when it repairs it), never
 * as strict YAML (its errors would not be kept). Never throws.
 */
export function parseMarkdownAsClient(file: string, text: string): ClientMarkdown {
  const split = splitMarkdown(file, text).md;
  const client: ClientFrontmatter = { status: 'none', quoted: [], tabs: false, duplicates: [] };
  const keep = split.problems;
  if (!split.hasFrontmatter || keep.some((p) => p.code === 'frontmatter-unclosed')) return { ...split, problems: keep, client };
  // Blank lines before `---`: the client sees no block at all (a BOM it strips, 2.1.329).
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (!text.startsWith('---', start)) return { ...split, doc: null, data: {}, problems: keep, client };

  const closing = /^([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text.slice(split.yamlStart))!;
  let yaml = closing[1]!;
  const blockEnd = split.yamlStart + yaml.length; // offset of the newline before the closing `---`
  const clientBlock = CLIENT_BLOCK.exec(text.slice(start));
  if (clientBlock) {
    // An earlier `---` (inside a value) ends the client's block.
    const cutAt = start + clientBlock.index + clientBlock[0].length - /---\s*\n?$/.exec(clientBlock[0])![0].length;
    if (cutAt < blockEnd) {
      client.cut = split.lineCounter.linePos(cutAt);
      yaml = text.slice(split.yamlStart, cutAt);
    }
  }
  const firstLine = split.lineCounter.linePos(split.yamlStart).line;
  let doc = lenientParse(yaml);
  let source = text;
  if (doc.errors.length === 0) client.status = 'strict';
  else {
    const firstError = doc.errors[0]!;
    const fixed = repair(yaml, firstLine);
    const again = lenientParse(fixed.text);
    if (again.errors.length === 0) {
      client.status = 'recovered';
      client.quoted = fixed.quoted;
      client.tabs = fixed.tabs;
      doc = again;
      source = text.slice(0, split.yamlStart) + fixed.text + text.slice(split.yamlStart + yaml.length);
    } else {
      client.status = 'dropped';
      client.error = firstError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      client.errorAt = split.lineCounter.linePos(split.yamlStart + (firstError.pos?.[0] ?? 0));
    }
  }
  const base = source === text ? split : splitMarkdown(file, source).md;
  client.duplicates = duplicateKeys({ ...base, doc });
  const problems = [...keep];
  let data: Record<string, unknown> = {};
  if (client.status !== 'dropped' && doc.contents !== null) {
    if (!isMap(doc.contents)) {
      const at = split.lineCounter.linePos(split.yamlStart + (doc.contents.range?.[0] ?? 0));
      problems.push({ file, ...at, severity: 'error', code: 'frontmatter-not-a-map', message: 'Frontmatter is not a mapping, expected `key: value` lines' });
    } else {
      try {
        data = doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT }) as Record<string, unknown>;
      } catch (e) {
        client.status = 'dropped';
        client.error = (e as Error).message;
        const at = toJsErrorOffset(doc, e);
        client.errorAt = at === undefined ? { line: firstLine, col: 1 } : split.lineCounter.linePos(split.yamlStart + at);
      }
    }
  }
  if (client.status === 'dropped') {
    problems.push({
      file,
      ...(client.errorAt ?? { line: firstLine, col: 1 }),
      severity: 'error',
      code: 'frontmatter-parse',
      message: `Frontmatter is not valid YAML, even after Claude Code's repair: ${client.error}; Claude Code reads no metadata from this file`,
      hint: 'Quote values that contain `: ` or start with `[`, `{`, `*`, `&`, `!`, `|`, `>`, `@` or a backquote, and check indentation.',
    });
  }
  return { ...base, text: source, doc: client.status === 'dropped' ? null : doc, data, problems, client };
}
