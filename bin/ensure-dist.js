// From a clone (sources beside bin/, no dist/ yet): bundle dist/ once before the first run. An installed package
// always ships dist/ (npm pack runs the bundle: the `prepack` script), so this does nothing there.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const at = (rel) => fileURLToPath(new URL(`../${rel}`, import.meta.url));
if (!existsSync(at('dist/orchestrate.mjs')) && existsSync(at('scripts/bundle.mjs'))) execFileSync(process.execPath, [at('scripts/bundle.mjs')], { stdio: 'inherit' });
