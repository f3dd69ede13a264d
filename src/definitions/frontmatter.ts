import { isMap, isNode, isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { Diagnostic, Position } from '../diagnostics/diagnostic.ts';
import { lineCounterFor } from '../diagnostics/position.ts';
import { pairOf } from './yaml-pair.ts';

/**
 * A markdown file split into its YAML frontmatter and body, with every position mapped back to the file.
 * - `text`: the file as read (a BOM, if any, is kept, so offsets are file offsets).
 * - `doc`: the frontmatter as a `yaml` Document (node ranges are offsets into the YAML source, which starts
 *   at `yamlStart` in `text`), or null when the file has no frontmatter.
 * - `data`: the frontmatter as plain JS; `{}` when absent, unparsable or not a mapping.
 * - `body`, `bodyStart`: the text after the closing `---` line and its offset in `text`.
 * - `problems`: syntax-level problems, codes `frontmatter-parse` (YAML error), `frontmatter-start`
 *   (BOM or text before the opening `---`: Claude Code then reads no metadata, see CLAUDE-CODE.md),
 *   `frontmatter-unclosed` and `frontmatter-not-a-map`.
 */
export interface ParsedMarkdown {
  file: string;
  text: string;
  hasFrontmatter: boolean;
  yamlStart: number;
  doc: Document.Parsed | null;
  data: Record<string, unknown>;
  body: string;
  bodyStart: number;
  lineCounter: LineCounter;
  problems: Diagnostic[];
}

/** YAML parse limits: an alias bomb ("billion laughs") fails fast instead of exhausting memory. */
export const YAML_MAX_ALIAS_COUNT = 100;

/**
 * Options for every frontmatter parse: `logLevel: 'error'` keeps `yaml` from printing a process warning on
 * stderr (a key that is a list, `? [a]`, made `toJS` print "Keys with collection values will be stringified"
 * between the findings).
 */
export const FRONTMATTER_YAML_OPTIONS = { prettyErrors: false, logLevel: 'error' } as const;

/**
 * The offset (into `doc`'s source) of what made `doc.toJS()` throw `e`: the alias an "Unresolved alias" error
 * names (`argument-hint: *b` with no `&b` before it: the parser reports no position for it); undefined otherwise.
 */
export function toJsErrorOffset(doc: Document, e: unknown): number | undefined {
  const name = /^Unresolved alias.*: (.+)$/.exec(e instanceof Error ? e.message : '')?.[1];
  let offset: number | undefined;
  if (name !== undefined)
    visit(doc, {
      Alias(_key, node) {
        if (node.source !== name || !node.range) return undefined;
        offset = node.range[0];
        return visit.BREAK;
      },
    });
  return offset;
}


/**
 * A markdown file split at its frontmatter, before any YAML is parsed: `md` is a {@link ParsedMarkdown} with
 * `doc` null, `data` `{}` and `problems` holding only `frontmatter-start` and `frontmatter-unclosed`; `matter`
 * is the frontmatter source (it starts at `md.yamlStart`; undefined when there is no closed block).
 */
export interface SplitMarkdown {
  md: ParsedMarkdown;
  matter?: string;
}

/**
 * Splits `text` (the content of `file`) into frontmatter and body without parsing the YAML, for readers that
 * parse it their own way (src/definitions/client-frontmatter.ts). Never throws.
 */
export function splitMarkdown(file: string, text: string): SplitMarkdown {
  const lineCounter = lineCounterFor(text);
  const problems: Diagnostic[] = [];
  const push = (code: string, offset: number, message: string, hint?: string) => {
    const { line, col } = lineCounter.linePos(offset);
    problems.push({ file, line, col, severity: 'error', code, message, ...(hint ? { hint } : {}) });
  };

  const bom = text.charCodeAt(0) === 0xfeff;
  const start = bom ? 1 : 0;
  const leading = /^[ \t\r\n]*/.exec(text.slice(start))![0];
  const opener = /^---[ \t]*\r?\n/.exec(text.slice(start + leading.length));
  const empty = { file, text, hasFrontmatter: false, yamlStart: 0, doc: null, data: {}, lineCounter, problems };
  if (!opener) return { md: { ...empty, body: text, bodyStart: 0 } };

  if (bom) push('frontmatter-start', 0, 'File starts with a byte order mark before `---`, expected `---` at byte 0', 'Save the file as UTF-8 without BOM.');
  if (leading.length > 0)
    push('frontmatter-start', start, 'Frontmatter does not start at byte 0, expected `---` on the first line', 'Remove the blank lines before `---`.');

  const yamlStart = start + leading.length + 3; // right after the opening `---`
  const closed = /\r?\n---[ \t]*(\r?\n|$)/.test(text.slice(yamlStart - 1));
  if (!closed) {
    push('frontmatter-unclosed', start + leading.length, 'Frontmatter opened with `---` is never closed, expected a `---` line after it');
    return { md: { ...empty, hasFrontmatter: true, yamlStart, body: '', bodyStart: text.length } };
  }
  // The block ends at the first `\n---` (even `\n----` or `\n--- x`), and the body starts after it and one line
  // break: the split gray-matter made, which this replaces (the YAML is parsed by `yaml`, so gray-matter only
  // searched for the delimiter, at the cost of a Buffer copy and a cache lookup keyed by the whole file).
  const close = text.indexOf('\n---', yamlStart);
  // A CRLF line break before the closing `---` is not part of the YAML: left in, it ends the last value
  // (`- Read\r`, `tools: [Read]\r` does not parse).
  const end = close > yamlStart && text[close - 1] === '\r' ? close - 1 : close;
  let bodyStart = close + 4;
  if (text[bodyStart] === '\r') bodyStart++;
  if (text[bodyStart] === '\n') bodyStart++;
  return { md: { ...empty, hasFrontmatter: true, yamlStart, body: text.slice(bodyStart), bodyStart }, matter: text.slice(yamlStart, end) };
}

/**
 * Parses `text` (the content of `file`) into a {@link ParsedMarkdown}. Never throws for bad input: every
 * problem becomes a diagnostic in `problems`, positioned at the offending line and column.
 */
export function parseMarkdown(file: string, text: string): ParsedMarkdown {
  const { md: split, matter: source } = splitMarkdown(file, text);
  if (source === undefined) return split;
  const { yamlStart, lineCounter, problems } = split;
  const push = (code: string, offset: number, message: string, hint?: string) => {
    const { line, col } = lineCounter.linePos(offset);
    problems.push({ file, line, col, severity: 'error', code, message, ...(hint ? { hint } : {}) });
  };

  const doc = parseDocument(source, { ...FRONTMATTER_YAML_OPTIONS, uniqueKeys: true, strict: true });
  for (const err of [...doc.errors, ...doc.warnings]) {
    const offset = yamlStart + (err.pos?.[0] ?? 0);
    const msg = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    push('frontmatter-parse', offset, `Frontmatter is not valid YAML: ${msg}`, 'Claude Code drops all metadata of a file whose frontmatter does not parse; quote values that contain `: ` or start with `[`, `{`, `*`, `&`, `!`, `|`, `>`, `@` or a backquote.');
  }

  let data: Record<string, unknown> = {};
  if (doc.errors.length === 0 && doc.contents !== null) {
    if (!isMap(doc.contents)) {
      push('frontmatter-not-a-map', yamlStart + (doc.contents.range?.[0] ?? 0), 'Frontmatter is not a mapping, expected `key: value` lines');
    } else {
      try {
        data = doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT }) as Record<string, unknown>;
      } catch (e) {
        const at = toJsErrorOffset(doc, e);
        push('frontmatter-parse', at === undefined ? Math.max(0, yamlStart - 3) : yamlStart + at, `Frontmatter is not valid YAML: ${(e as Error).message}`);
      }
    }
  }
  return { ...split, doc, data };
}

/**
 * The position of a frontmatter key or value. `path` is the key path (`['allowed-tools', 2]`); `part` picks
 * the key itself or its value (a missing value falls back to its key). Falls back to the nearest existing
 * ancestor, then to the opening `---` line, so a diagnostic always has a real position.
 */
export function frontmatterPosition(md: ParsedMarkdown, path: readonly (string | number)[], part: 'key' | 'value' = 'value'): Position {
  const pos = (offset: number) => md.lineCounter.linePos(md.yamlStart + offset);
  if (!md.doc) return md.lineCounter.linePos(Math.max(0, md.yamlStart - 3));
  const keyOf = (p: readonly (string | number)[]): Position | undefined => {
    const parent = p.length === 1 ? md.doc!.contents : md.doc!.getIn(p.slice(0, -1), true);
    const pair = pairOf(parent, p[p.length - 1]!);
    return pair && isScalar(pair.key) && pair.key.range ? pos(pair.key.range[0]) : undefined;
  };
  if (part === 'key' && path.length > 0) {
    const k = keyOf(path);
    if (k) return k;
  }
  for (let n = path.length; n >= 1; n--) {
    const node = md.doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return pos(node.range[0]);
    const k = keyOf(path.slice(0, n));
    if (k) return k;
  }
  return md.lineCounter.linePos(Math.max(0, md.yamlStart - 3));
}

/** The 1-based position of a 0-based offset in the body. */
export function bodyPosition(md: ParsedMarkdown, bodyOffset: number): Position {
  return md.lineCounter.linePos(md.bodyStart + bodyOffset);
}
