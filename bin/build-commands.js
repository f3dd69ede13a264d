#!/usr/bin/env node
import './ensure-dist.js';

const { main } = await import('../dist/build-commands.mjs');
process.exitCode = await main({ argv: process.argv.slice(2), cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, env: process.env });
