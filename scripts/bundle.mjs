// Bundles the TypeScript sources with esbuild into dist/.
// - dist/build-commands.mjs: the compiler/linter CLI, its npm dependencies inlined: Node then reads one file instead
//   of resolving and loading some 400 under node_modules (counted with strace: zod 99, yaml 84, handlebars 43,
//   fast-glob and its walker ~70, micromark ~40, ...), which took about 110 ms of every start and 160 ms CPU of a
//   `lint` of the real-world bench's 1,079 files (bench/real-world.ts --lint-only).
// - dist/orchestrate.mjs: the runtime helper as ONE self-contained file (every dependency inlined, the PostgreSQL
//   client `pg` too: it is unpacked only when a database URL is set), so a
//   built pack runs in any repository without node_modules. The compiler copies it into each pack.
//   The libraries only some verbs need (yaml: hand-edited or cache-less state files, plans; zod: plans) are
//   embedded as compressed, minified source text, unpacked and compiled on first use, so `claim` does not
//   parse 450 KB of code it never runs (see embeddedLibs below; bench/claim.ts measures the effect).
// Output is deterministic for a given esbuild version (pinned by package-lock.json).
// `--out-dir DIR` writes the two bundles to DIR instead of dist/ (benchmarks: the checkout stays as it was).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { appendFileSync, readFileSync } from 'node:fs';
import zlib, { brotliCompressSync } from 'node:zlib';
import { noticesComment, packageDirs } from './notices.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const outFlag = process.argv.indexOf('--out-dir');
const outDir = outFlag === -1 ? 'dist' : path.resolve(process.argv[outFlag + 1] ?? '');
const common = {
  bundle: true,
  define: { __BUILD_COMMANDS_VERSION__: JSON.stringify(pkg.version) },
  platform: 'node',
  format: 'esm',
  target: 'node20',
  legalComments: 'none',
  logLevel: 'warning',
  absWorkingDir: root,
  metafile: true,
};

/**
 * esbuild plugin: each import of a package in `names` becomes a CommonJS module that holds the package, bundled
 * and minified, as a string, and evaluates it when the module is first required. esbuild initialises modules
 * reached only through `await import(...)` lazily, so the string is compiled only by the verbs that need it;
 * scanning a string literal costs far less start-up than parsing the same code.
 */
function embeddedLibs(names, inputs) {
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);
  return {
    name: 'embedded-libs',
    setup(b) {
      b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'embedded-lib' }));
      b.onLoad({ filter: /.*/, namespace: 'embedded-lib' }, async (args) => {
        const lib = await build({
          stdin: { contents: `module.exports = require(${JSON.stringify(args.path)});`, resolveDir: root, loader: 'js' },
          bundle: true,
          platform: 'node',
          format: 'cjs',
          target: 'node20',
          minify: true,
          legalComments: 'none',
          write: false,
          // pg's optional native binding and its Cloudflare socket shim are never loaded by Node
          external: ['pg-native', 'cloudflare:sockets'],
          logLevel: 'warning',
          absWorkingDir: root,
          metafile: true,
        });
        for (const input of Object.keys(lib.metafile.inputs)) inputs.add(input);
        const source = `${lib.outputFiles[0].text}\n//# sourceURL=orchestrate.mjs/embedded/${args.path}.js`;
        const packed = brotliCompressSync(Buffer.from(source, 'utf8'), {
          params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: source.length },
        }).toString('base64');
        return {
          loader: 'js',
          contents: [
            `// ${args.path}: bundled, minified, brotli-compressed; unpacked and compiled on first use (scripts/bundle.mjs)`,
            `const source = require('node:zlib').brotliDecompressSync(Buffer.from(${JSON.stringify(packed)}, 'base64')).toString('utf8');`,
            `const m = { exports: {} };`,
            `new Function('module', 'exports', 'require', source)(m, m.exports, require);`,
            `module.exports = m.exports;`,
          ].join('\n'),
        };
      });
    },
  };
}

/**
 * esbuild plugin: `import ... from 'node:fs'` (any Node built-in) becomes a small ES module over
 * `process.getBuiltinModule('node:fs')`, with one named export per property of the built-in, each read by a
 * call marked pure, so esbuild keeps only the ones imported. An ESM import of a built-in makes Node build its
 * ESM facade, which reads every export — `fs.promises`, `fs.ReadStream` — and so loads the stream modules:
 * about 3 ms of each helper call.
 */
const builtinsByValue = {
  name: 'builtins-by-value',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => {
      const mod = process.getBuiltinModule(args.path);
      const names = Object.entries(Object.getOwnPropertyDescriptors(mod))
        .filter(([k]) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default')
        .map(([k]) => k);
      return {
        loader: 'js',
        contents: [
          `const m = process.getBuiltinModule(${JSON.stringify(args.path)});`,
          'const get = (k) => m[k];',
          'export default m;',
          // a pure call: esbuild drops the exports nobody imports, so no unused getter runs
          ...names.map((k) => `export const ${k} = /* @__PURE__ */ get(${JSON.stringify(k)});`),
        ].join('\n'),
      };
    });
  },
};

/** Input paths (relative to root) of the embedded libraries' own builds: their packages are in the helper too. */
const embeddedInputs = new Set();

const [cli, helper] = await Promise.all([
  build({
    ...common,
    entryPoints: ['src/cli/build-commands-main.ts'],
    outfile: path.join(outDir, 'build-commands.mjs'),
    // `require` for the bundled CommonJS dependencies, which need only Node built-ins; no `node:module` load.
    banner: { js: 'const require = (id) => process.getBuiltinModule(id);' },
  }),
  build({
    ...common,
    entryPoints: ['src/cli/orchestrate-main.ts'],
    outfile: path.join(outDir, 'orchestrate.mjs'),
    plugins: [embeddedLibs(['yaml', 'zod', 'pg'], embeddedInputs), builtinsByValue],
    // Inline everything: the helper must run with no node_modules beside it.
    banner: {
      // `require` for the bundled CommonJS code, which needs only Node built-ins; no `node:module` load.
      js: [
        '#!/usr/bin/env node',
        '// generated by build-commands — edit the source (src/runtime), not this file',
        'if (typeof process.getBuiltinModule !== "function") { process.stderr.write(`orchestrate needs Node.js >= 20.16 (this is ${process.version})\\n`); process.exit(2); }',
        'const require = (id) => process.getBuiltinModule(id);',
      ].join('\n'),
    },
  }),
]);

// The licence notices of every inlined package, at the end of each bundle (scripts/notices.mjs).
appendFileSync(path.join(outDir, 'build-commands.mjs'), noticesComment(packageDirs(root, Object.keys(cli.metafile.inputs))));
appendFileSync(path.join(outDir, 'orchestrate.mjs'), noticesComment(packageDirs(root, [...Object.keys(helper.metafile.inputs), ...embeddedInputs])));
