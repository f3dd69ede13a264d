import Handlebars from 'handlebars';
import { describe, expect, it } from 'vitest';
import { TemplateRunner } from '../../src/compiler/interpret.ts';

/** An environment with helpers and partials like the build's, for comparing with Handlebars' compile. */
function env() {
  const hb = Handlebars.create();
  hb.registerHelper('up', (s: unknown) => String(s).toUpperCase());
  hb.registerHelper('join', (...args: unknown[]) => {
    const options = args.pop() as Handlebars.HelperOptions;
    return `${args.join('+')}|${Object.entries(options.hash).map(([k, v]) => `${k}=${String(v)}`).join(',')}`;
  });
  hb.registerHelper('wrap', function (this: unknown, tag: string, options: Handlebars.HelperOptions) {
    return `<${tag}>${options.fn(this)}</${tag}>@${options.data.root.title}`;
  });
  hb.registerPartial('line', '- {{name}}\n');
  hb.registerPartial('two', 'A {{> line}}B\n{{#if flag}}yes{{/if}}\n');
  return hb;
}

const context = { title: 'T', name: 'n', flag: true, off: false, zero: 0, xs: ['a', 'b'], obj: { k: 'v', nested: { d: 1 } }, empty: [] as string[], nul: null, objs: [{ a: 1 }] };

const templates = [
  'plain text\nwith lines\n',
  '{{title}} {{obj.k}} {{obj.nested.d}} {{zero}} {{off}} {{nul}}',
  '{{up title}} {{up (up name)}} {{join "a" 1 true obj.k x=2 y=name}}',
  '{{#if flag}}\n  yes\n{{else}}\n  no\n{{/if}}\nafter',
  '{{#if off}}A{{else if flag}}B{{else}}C{{/if}}',
  '{{#unless off}}U{{/unless}}{{#if missing}}M{{/if}}',
  '{{#each xs}}\n- {{this}} {{@index}} {{@first}} {{@last}} {{../title}}\n{{/each}}',
  '{{#each obj}}{{@key}}={{.}};{{/each}}{{#each empty}}x{{else}}none{{/each}}',
  '{{#with obj}}{{k}} {{nested.d}} {{@root.title}}{{/with}}',
  '{{#wrap "b"}}{{name}}{{/wrap}}',
  'x\n  {{> line}}\ny\n',
  '{{> line name="other"}}{{> line obj}}',
  '  {{> two}}\nend',
  '{{!-- comment --}}a {{~ title ~}} b\n{{! c }}\n',
  '{{lookup obj "k"}} {{{title}}} \\{{escaped}}',
  'a & <b> "c" {{title}}',
];

const errors = ['{{missing}}', 'a\n {{obj.nope}}', '{{obj.nested.x.y}}', '{{nohelper 1}}', '{{> nopartial}}', '{{#if}}x{{/if}}', 'x {{#each objs}}{{a}}{{nope}}{{/each}}'];

/** The outcome of running `fn`: its output, or the error's message and position. */
function outcome(fn: () => string): unknown {
  try {
    return { out: fn() };
  } catch (e) {
    const ex = e as { message: string; lineNumber?: number; column?: number };
    return { error: ex.message.split('\n')[0]!.replace(/ - \d+:\d+$/, ''), line: ex.lineNumber, col: ex.column };
  }
}

describe('TemplateRunner (interpreted Handlebars)', () => {
  it('renders exactly what Handlebars compile renders (noEscape, strict)', () => {
    for (const t of templates) {
      const hb = env();
      const compiled = outcome(() => hb.compile(t, { noEscape: true, strict: true })(context));
      expect(outcome(() => new TemplateRunner(env()).render(t, context)), t).toEqual(compiled);
    }
  });

  it('throws the same errors at the same positions', () => {
    for (const t of errors) {
      const hb = env();
      const compiled = outcome(() => hb.compile(t, { noEscape: true, strict: true })(context)) as { error?: string };
      const ours = outcome(() => new TemplateRunner(env()).render(t, context)) as { error?: string };
      expect(ours.error, t).toBeDefined();
      expect(ours, t).toEqual(compiled);
    }
  });

  it('falls back to compile for features it does not interpret', () => {
    const t = '{{#each xs as |x i|}}{{i}}:{{x}} {{/each}}{{#*inline "p"}}P{{/inline}}{{> p}}{{#obj}}{{k}}{{/obj}}';
    expect(new TemplateRunner(env()).render(t, context)).toBe(env().compile(t, { noEscape: true, strict: true })(context));
  });
});
