import { describe, expect, it } from 'vitest';
import { BodyRenderer } from '../../src/compiler/render.ts';
import { loadTemplates } from '../../src/compiler/templates.ts';
import { finishRendered, interpolated, neutralise } from '../../src/compiler/neutralise.ts';
import { parseMarkdown } from '../../src/definitions/frontmatter.ts';
import type { TargetName } from '../../src/compiler/target.ts';
import { tempDir } from './helpers.ts';

const renderer = (target: TargetName) => new BodyRenderer(target, loadTemplates(tempDir()), ['implementation-agent', 'reviewer']);
const render = (target: TargetName, body: string, context: Record<string, unknown> = {}) =>
  renderer(target).renderBody(parseMarkdown('commands/x.md', `---\ndescription: "x"\n---\n${body}`), context);

describe('helpers', () => {
  it('orchestrate renders the helper line per target', () => {
    expect(render('claude', '`{{orchestrate "claim --agent $0"}}`\n').text).toBe('`node .claude/scripts/orchestrate.mjs claim --agent $0`\n');
    expect(render('plugin', '{{orchestrate "claim --agent $0"}}\n').text).toBe('node ${CLAUDE_PLUGIN_ROOT}/scripts/orchestrate.mjs claim --agent $0\n');
    expect(render('claude', '{{orchestrate "status" "--json"}}').text).toBe('node .claude/scripts/orchestrate.mjs status --json');
  });

  it('agent renders the bare name, or the namespaced one in a plugin; built-in agents stay bare', () => {
    expect(render('claude', '{{agent "implementation-agent"}}').text).toBe('implementation-agent');
    expect(render('plugin', '{{agent "implementation-agent"}}').text).toBe('build-commands:implementation-agent');
    expect(render('plugin', '{{agent "Explore"}}').text).toBe('Explore');
  });

  it('spawn renders one exact instruction: N Agent calls in ONE message', () => {
    const r = render('plugin', '{{#spawn "implementation-agent" count=3 description="Implement claimed tickets"}}\nTicket $0.\n{{/spawn}}\nAfter.\n');
    expect(r.diagnostics).toEqual([]);
    expect(r.spawned).toEqual(['implementation-agent']);
    expect(r.text).toBe(
      [
        'Call the Agent tool 3 times in ONE message (all 3 calls in the same reply, so the agents run in parallel), each call with:',
        '- subagent_type: "build-commands:implementation-agent"',
        '- description: "Implement claimed tickets"',
        '- prompt: the text inside <agent-prompt>, verbatim',
        '',
        '<agent-prompt>',
        'Ticket $0.',
        '</agent-prompt>',
        'After.',
        '',
      ].join('\n'),
    );
    const one = render('claude', '{{#spawn "reviewer" description="Review the change"}}Review.{{/spawn}}').text;
    expect(one.split('\n').slice(0, 2)).toEqual(['Call the Agent tool once with:', '- subagent_type: "reviewer"']);
    expect(render('claude', '{{#spawn "reviewer" count="one per ready ticket" description="Review the change"}}R{{/spawn}}').text).toMatch(/^Call the Agent tool in ONE message, one per ready ticket \(all calls in the same reply, so the agents run in parallel\), each call with:\n/);
  });

  it('reports an unknown agent, verb, count or description at the helper call', () => {
    const r = render('claude', 'line one\n  {{agent "ghost"}}\n{{orchestrate "frobnicate"}}\n{{#spawn "reviewer" count=0 description="Two words"}}p{{/spawn}}\n');
    expect(r.diagnostics.map((d) => [d.line, d.col, d.code, d.message.split(',')[0]])).toEqual([
      [5, 3, 'unknown-agent', 'Unknown agent `ghost` in `agent`'],
      [6, 1, 'unknown-helper-verb', 'Unknown helper verb `frobnicate` in `orchestrate`'],
      [7, 1, 'spawn-usage', 'Expected `count` to be a positive integer or a phrase like "one per ready ticket"'],
      [7, 1, 'spawn-usage', "Expected `description` of 3-5 words (the Agent tool's `description`)"],
    ]);
    expect(r.diagnostics[0]!.message).toContain('expected one of `implementation-agent`, `reviewer`, `general-purpose`');
  });

  it('reports template syntax errors and missing variables (strict mode) at their position', () => {
    expect(render('claude', 'a\nb {{oops}}\n', { name: 'x' }).diagnostics.map((d) => [d.line, d.col, d.code, d.message])).toEqual([
      [5, 5, 'template-error', 'Unknown variable `oops`, expected one of `name`, `orchestrate`, `agent`, `spawn`, `reference`'],
    ]);
    const syntax = render('claude', 'a\n{{#spawn "reviewer"}}\n').diagnostics;
    expect(syntax.map((d) => d.code)).toEqual(['template-error']);
    expect(syntax[0]!.line).toBeGreaterThanOrEqual(4);
    // A syntax error is on the line the parser names (it was always the body's first line, 4:1).
    const at = (body: string) => render('claude', body).diagnostics.map((d) => [d.line, d.col, d.message.split(':')[0]]);
    expect(at('a\nb {{foo bar=}}\nc\n')).toEqual([[5, 1, 'Template syntax error']]);
    expect(at('a\r\nb\r\nc {{unclosed\r\n')).toEqual([[6, 1, 'Template syntax error']]);
  });

  it('does not HTML-escape markdown', () => {
    expect(render('claude', '{{v}} & <b>', { v: 'a < b & "c"' }).text).toBe('a < b & "c" & <b>');
  });
});

describe('!` neutralisation', () => {
  it('breaks !` and ```! inside interpolated text', () => {
    expect(neutralise('run !`rm -rf /` now')).toBe('run ! `rm -rf /` now');
    expect(neutralise('```!\nrm -rf /\n```')).toBe('``` !\nrm -rf /\n```');
    expect(neutralise(neutralise('!`x`'))).toBe('! `x`');
  });

  it('breaks !` formed across an interpolation boundary, keeps the author\'s literal !`', () => {
    expect(finishRendered(`!${interpolated('`id`')}`)).toBe('! `id`');
    expect(finishRendered(`${interpolated('x!')}\`id\``)).toBe('x! `id`');
    expect(finishRendered(`\`\`\`${interpolated('!')}`)).toBe('``` !');
    expect(finishRendered('literal !`date`')).toBe('literal !`date`');
  });

  it('no variable or helper argument can form !` in a rendered body', () => {
    const evil = ['!`rm -rf /`', '`rm`', '!', '```!\nrm\n```', '\uE001!\uE000`x`'];
    for (const v of evil) {
      for (const body of ['{{v}}', '!{{v}}', '{{v}}`x`', ' !{{v}}', '```{{v}}', '{{orchestrate v}}', '!{{orchestrate "status"}}{{v}}', '{{#spawn "reviewer" description=v}}{{v}}{{/spawn}}']) {
        const r = render('claude', body, { v });
        const text = r.text;
        expect(text, `${body} with ${JSON.stringify(v)}`).not.toMatch(/!`/);
        expect(text).not.toMatch(/```!/);
        expect(text).not.toMatch(/[\uE000\uE001]/);
      }
    }
  });
});
