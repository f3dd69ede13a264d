#!/usr/bin/env node
import './ensure-dist.js';

await import('../dist/orchestrate.mjs');
