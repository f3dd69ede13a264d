import Handlebars from 'handlebars';

/**
 * A fast evaluator for the Handlebars templates a build renders. `Handlebars.compile` generates and
 * `new Function`s JavaScript for every template — about 1–2 ms per body, most of a 1,000-definition build —
 * while each body is rendered exactly once. This walks the parsed AST instead (`Handlebars.parse`, so
 * whitespace control and standalone lines are Handlebars' own) and calls the environment's real helpers and
 * partials with Handlebars-compatible `options` (`fn`, `inverse`, `hash`, `data`, `loc`, `name`), with the
 * semantics of `{ noEscape: true, strict: true }`: a mustache whose variable is missing throws `"x" not defined
 * in ...` at its location; helper arguments may be missing, as in Handlebars' strict mode.
 * Anything outside the supported subset (decorators, partial blocks, inline partials, block params, a block
 * whose name is not a helper) makes {@link TemplateRunner} fall back to `compile`, so output never differs.
 */

type Node = hbs.AST.Node;
type Program = hbs.AST.Program;
type Expr = hbs.AST.Expression;
type HB = typeof Handlebars;

interface Frame {
  depths: unknown[];
  data: Record<string, unknown>;
}

const own = (obj: unknown, key: string): boolean => obj !== null && obj !== undefined && Object.prototype.hasOwnProperty.call(obj, key);

/** Throws Handlebars' strict-mode error for a missing `name` in `obj`, at `node`. */
function notDefined(name: string, obj: unknown, node: Node): never {
  throw new Handlebars.Exception(`"${name}" not defined in ${String(obj)}`, node);
}

/** Runs templates for one Handlebars environment: interpreted when possible, compiled otherwise. */
export class TemplateRunner {
  private readonly hb: HB;
  private readonly parsed = new Map<string, Program | null>();
  private readonly compiled = new Map<string, Handlebars.TemplateDelegate>();
  private readonly supportCache = new WeakMap<Program, boolean>();

  /** `hb`: an isolated environment (`Handlebars.create()`) holding the helpers and partials. */
  constructor(hb: HB) {
    this.hb = hb;
  }

  /**
   * Renders `source` with `context` and Handlebars `data` (reachable as `@…` and `options.data`). Throws
   * Handlebars exceptions (parse errors, missing variables, missing helpers/partials) like `compile` does.
   */
  render(source: string, context: unknown, data: Record<string, unknown> = {}): string {
    const ast = this.parse(source);
    if (ast && this.supported(ast, new Set())) {
      return this.program(ast, { depths: [context], data: { ...data, root: context } });
    }
    let fn = this.compiled.get(source);
    if (!fn) this.compiled.set(source, (fn = this.hb.compile(source, { noEscape: true, strict: true })));
    return fn(context, { data });
  }

  /** Parses (and caches) a template; throws Handlebars' parse error. */
  private parse(source: string): Program | null {
    if (!this.parsed.has(source)) this.parsed.set(source, this.hb.parse(source));
    return this.parsed.get(source)!;
  }

  /** True when every node of `p` (and of the partials it uses) is in the interpreted subset. */
  private supported(p: Program, seen: Set<string>): boolean {
    const cached = this.supportCache.get(p);
    if (cached !== undefined) return cached;
    const ok = this.checkProgram(p, seen);
    this.supportCache.set(p, ok);
    return ok;
  }

  private checkProgram(p: Program, seen: Set<string>): boolean {
    if (p.blockParams && p.blockParams.length > 0) return false;
    for (const node of p.body) {
      switch (node.type) {
        case 'ContentStatement':
        case 'CommentStatement':
          break;
        case 'MustacheStatement': {
          const m = node as hbs.AST.MustacheStatement;
          if (!this.exprsOk([m.path, ...m.params, ...(m.hash?.pairs.map((x) => x.value) ?? [])])) return false;
          break;
        }
        case 'BlockStatement': {
          const b = node as hbs.AST.BlockStatement;
          const name = b.path.type === 'PathExpression' ? (b.path as hbs.AST.PathExpression).original : '';
          if (!name || !own(this.hb.helpers, name) || name === 'blockHelperMissing' || name === 'helperMissing') return false;
          if (!this.exprsOk([...b.params, ...(b.hash?.pairs.map((x) => x.value) ?? [])])) return false;
          if (b.program && !this.checkProgram(b.program, seen)) return false;
          if (b.inverse && !this.checkProgram(b.inverse, seen)) return false;
          break;
        }
        case 'PartialStatement': {
          const ps = node as hbs.AST.PartialStatement;
          if (ps.name.type !== 'PathExpression' || ps.params.length > 1) return false;
          const name = (ps.name as hbs.AST.PathExpression).original;
          const partial = own(this.hb.partials, name) ? this.hb.partials[name] : undefined;
          if (typeof partial !== 'string') return false;
          if (!this.exprsOk([...ps.params, ...(ps.hash?.pairs.map((x) => x.value) ?? [])])) return false;
          if (!seen.has(name)) {
            seen.add(name);
            if (!this.supported(this.parse(partial)!, seen)) return false;
          }
          break;
        }
        default:
          return false;
      }
    }
    return true;
  }

  private exprsOk(exprs: Expr[]): boolean {
    return exprs.every((e) => {
      if (e.type === 'SubExpression') {
        const s = e as hbs.AST.SubExpression;
        return s.path.type === 'PathExpression' && this.exprsOk([...s.params, ...(s.hash?.pairs.map((x) => x.value) ?? [])]);
      }
      return ['PathExpression', 'StringLiteral', 'NumberLiteral', 'BooleanLiteral', 'UndefinedLiteral', 'NullLiteral'].includes(e.type);
    });
  }

  private program(p: Program, f: Frame): string {
    let out = '';
    for (const node of p.body) {
      switch (node.type) {
        case 'ContentStatement':
          out += (node as hbs.AST.ContentStatement).value;
          break;
        case 'MustacheStatement': {
          const v = this.mustache(node as hbs.AST.MustacheStatement, f);
          if (v !== null && v !== undefined) out += v;
          break;
        }
        case 'BlockStatement': {
          const v = this.block(node as hbs.AST.BlockStatement, f);
          if (v !== null && v !== undefined) out += v;
          break;
        }
        case 'PartialStatement':
          out += this.partial(node as hbs.AST.PartialStatement, f);
          break;
        default:
          break;
      }
    }
    return out;
  }

  /** Resolves a path; `requireTerminal` (a mustache's own path) makes a missing last segment an error. */
  private path(e: hbs.AST.PathExpression, f: Frame, requireTerminal: boolean): unknown {
    let cur: unknown = e.data ? f.data : f.depths[e.depth] ?? f.depths[f.depths.length - 1];
    if (e.data && e.depth > 0) {
      let d: Record<string, unknown> | undefined = f.data;
      for (let i = 0; i < e.depth && d; i++) d = d._parent as Record<string, unknown> | undefined;
      cur = d;
    }
    const parts = e.parts;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      // Handlebars' strict mode checks only the terminal segment of a mustache's own path.
      if (requireTerminal && i === parts.length - 1 && (!cur || (typeof cur !== 'object' && typeof cur !== 'function') || !(part in (cur as object)))) notDefined(part, cur, e);
      cur = own(cur, part) ? (cur as Record<string, unknown>)[part] : undefined;
    }
    return cur;
  }

  private value(e: Expr, f: Frame): unknown {
    switch (e.type) {
      case 'PathExpression':
        return this.path(e as hbs.AST.PathExpression, f, false);
      case 'SubExpression': {
        const s = e as hbs.AST.SubExpression;
        return this.call((s.path as hbs.AST.PathExpression).original, s, s.params, s.hash, f, undefined, undefined);
      }
      case 'StringLiteral':
      case 'NumberLiteral':
      case 'BooleanLiteral':
        return (e as hbs.AST.StringLiteral).value;
      case 'NullLiteral':
        return null;
      default:
        return undefined;
    }
  }

  private hash(h: hbs.AST.Hash | undefined, f: Frame): Record<string, unknown> {
    // Same key order as compiled Handlebars (it builds the hash from the last pair to the first).
    const out: Record<string, unknown> = {};
    for (const pair of [...(h?.pairs ?? [])].reverse()) out[pair.key] = this.value(pair.value, f);
    return out;
  }

  /** Calls helper `name` with Handlebars-shaped options; throws `Missing helper` when it does not exist. */
  private call(name: string, node: Node, params: Expr[], hash: hbs.AST.Hash | undefined, f: Frame, program: Program | undefined, inverse: Program | undefined): unknown {
    const helper = own(this.hb.helpers, name) ? this.hb.helpers[name] : undefined;
    if (typeof helper !== 'function') throw new Handlebars.Exception(`Missing helper: "${name}"`, node);
    const self = f.depths[0];
    const run = (p: Program | undefined) => (ctx: unknown, opts?: { data?: Record<string, unknown> }) => {
      if (!p) return '';
      const depths = ctx === f.depths[0] ? f.depths : [ctx, ...f.depths];
      return this.program(p, { depths, data: opts?.data ?? f.data });
    };
    const noop = () => '';
    const options = {
      name,
      hash: this.hash(hash, f),
      data: f.data,
      loc: node.loc,
      lookupProperty: (obj: unknown, key: string) => (own(obj, key) ? (obj as Record<string, unknown>)[key] : undefined),
      ...(program || inverse ? { fn: program ? run(program) : noop, inverse: inverse ? run(inverse) : noop } : {}),
    };
    return (helper as (...a: unknown[]) => unknown).apply(self, [...params.map((p) => this.value(p, f)), options]);
  }

  private mustache(m: hbs.AST.MustacheStatement, f: Frame): unknown {
    const p = m.path as hbs.AST.PathExpression;
    const hasArgs = m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0;
    if (p.type !== 'PathExpression') return this.value(m.path, f);
    const simpleName = !p.data && p.depth === 0 && p.parts.length === 1 && !/^(this|\.)\b/.test(p.original) ? p.parts[0]! : undefined;
    if (simpleName !== undefined && own(this.hb.helpers, simpleName)) return this.call(simpleName, m, m.params, m.hash, f, undefined, undefined);
    const v = this.path(p, f, true);
    if (hasArgs && typeof v !== 'function') throw new Handlebars.Exception(`Missing helper: "${p.original}"`, m);
    return typeof v === 'function' ? (v as (this: unknown) => unknown).call(f.depths[0]) : v;
  }

  private block(b: hbs.AST.BlockStatement, f: Frame): unknown {
    return this.call((b.path as hbs.AST.PathExpression).original, b, b.params, b.hash, f, b.program, b.inverse);
  }

  private partial(ps: hbs.AST.PartialStatement, f: Frame): string {
    const name = (ps.name as hbs.AST.PathExpression).original;
    const source = own(this.hb.partials, name) ? this.hb.partials[name] : undefined;
    if (typeof source !== 'string') throw new Handlebars.Exception(`The partial ${name} could not be found`, ps);
    let ctx = ps.params.length > 0 ? this.value(ps.params[0]!, f) : f.depths[0];
    const hash = this.hash(ps.hash, f);
    if (Object.keys(hash).length > 0) ctx = { ...(ctx as object), ...hash };
    let out = this.program(this.parse(source)!, { depths: ctx === f.depths[0] ? f.depths : [ctx, ...f.depths], data: f.data });
    const indent = (ps as unknown as { indent?: string }).indent;
    if (indent) {
      const lines = out.split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (!lines[i] && i + 1 === lines.length) break;
        lines[i] = indent + lines[i];
      }
      out = lines.join('\n');
    }
    return out;
  }
}
