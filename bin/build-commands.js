#!/usr/bin/env node
import './ensure-dist.js';

const { main, FdWriter } = await import('../dist/build-commands.mjs');
process.exitCode = await main({ argv: process.argv.slice(2), cwd: process.cwd(), stdout: new FdWriter(1), stderr: new FdWriter(2), env: process.env });
