import { describe, expect, it, vi } from 'vitest';
import { parseMarkdownAsClient } from '../../src/definitions/client-frontmatter.ts';
import { frontmatterPosition, parseMarkdown } from '../../src/definitions/frontmatter.ts';

describe('parseMarkdown', () => {
  it('maps keys and values to file positions', () => {
    const md = parseMarkdown('a.md', '---\ndescription: "x"\nallowed-tools:\n  - Read\n  - Frob\n---\nbody\n');
    expect(md.problems).toEqual([]);
    expect(md.data).toEqual({ description: 'x', 'allowed-tools': ['Read', 'Frob'] });
    expect(frontmatterPosition(md, ['allowed-tools', 1])).toEqual({ line: 5, col: 5 });
    expect(frontmatterPosition(md, ['allowed-tools'], 'key')).toEqual({ line: 3, col: 1 });
    expect(frontmatterPosition(md, ['description'])).toEqual({ line: 2, col: 14 });
    expect(md.body).toBe('body\n');
    expect(md.text.slice(md.bodyStart)).toBe('body\n');
  });

  it('reports a YAML error at its line and column', () => {
    const md = parseMarkdown('b.md', '---\ndescription: ok\nargument-hint: a: b\n---\n');
    expect(md.problems.map((p) => [p.code, p.line, p.col])).toEqual([['frontmatter-parse', 3, 16]]);
    expect(md.data).toEqual({});
  });

  it('reports a BOM and blank lines before the opening ---', () => {
    expect(parseMarkdown('c.md', '\uFEFF---\na: 1\n---\n').problems.map((p) => [p.code, p.line, p.col])).toEqual([['frontmatter-start', 1, 1]]);
    expect(parseMarkdown('d.md', '\n\n---\na: 1\n---\n').problems.map((p) => [p.code, p.line])).toEqual([['frontmatter-start', 1]]);
  });

  it('reports unclosed frontmatter and non-mapping frontmatter', () => {
    expect(parseMarkdown('e.md', '---\na: 1\n').problems.map((p) => p.code)).toEqual(['frontmatter-unclosed']);
    expect(parseMarkdown('f.md', '---\n- a\n---\n').problems.map((p) => [p.code, p.line])).toEqual([['frontmatter-not-a-map', 2]]);
  });

  it('CRLF line endings: the last value before the closing --- keeps no `\\r`, and a flow list there parses', () => {
    const md = parseMarkdown('i.md', '---\r\ndescription: hi\r\nallowed-tools:\r\n  - Read\r\n---\r\nbody\r\n');
    expect(md.problems).toEqual([]);
    expect(md.data).toEqual({ description: 'hi', 'allowed-tools': ['Read'] });
    expect(frontmatterPosition(md, ['allowed-tools', 0])).toEqual({ line: 4, col: 5 });
    expect(md.body).toBe('body\r\n');
    const flow = parseMarkdown('j.md', '---\r\nname: ag\r\ntools: [Read, Grep]\r\n---\r\n');
    expect(flow.problems).toEqual([]);
    expect(flow.data).toEqual({ name: 'ag', tools: ['Read', 'Grep'] });
    expect(parseMarkdown('k.md', '---\r\n---\r\nbody').data).toEqual({});
  });

  it('finds a key written as a number or a boolean (`1:`, `true:`) by the string a path names it with', () => {
    const md = parseMarkdown('l.md', '---\ndescription: x\n1: a\ntrue: b\n---\n');
    expect(frontmatterPosition(md, ['1'], 'key')).toEqual({ line: 3, col: 1 });
    expect(frontmatterPosition(md, ['true'], 'key')).toEqual({ line: 4, col: 1 });
    expect(frontmatterPosition(md, ['true'])).toEqual({ line: 4, col: 1 });
  });

  it('reports an alias without its anchor at the alias (the parser gives it no position), as the client parse does', () => {
    const text = '---\ndescription: &a x\nargument-hint: *b\n---\nbody\n';
    expect(parseMarkdown('m.md', text).problems.map((p) => [p.code, p.line, p.col])).toEqual([['frontmatter-parse', 3, 16]]);
    expect(parseMarkdownAsClient('m.md', text).problems.map((p) => [p.code, p.line, p.col])).toEqual([['frontmatter-parse', 3, 16]]);
  });

  it('a key that is a list (`? [a]`) prints no process warning between the findings', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      const text = '---\n? [a]\n: x\ndescription: y\n---\nbody\n';
      parseMarkdown('n.md', text);
      parseMarkdownAsClient('n.md', text);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('treats a file without --- as body only', () => {
    const md = parseMarkdown('g.md', '# Title\n');
    expect(md.hasFrontmatter).toBe(false);
    expect(md.body).toBe('# Title\n');
  });

  it('stops a YAML alias bomb', () => {
    const bomb = ['a: &a [x,x,x,x,x,x,x,x,x,x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill('*' + 'abcdefgh'[i]).join(',')}]`)].join('\n');
    const md = parseMarkdown('h.md', `---\n${bomb}\n---\n`);
    expect(md.problems.map((p) => p.code)).toContain('frontmatter-parse');
  });
});
