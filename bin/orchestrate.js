#!/usr/bin/env node
import '../dist/orchestrate.mjs';
