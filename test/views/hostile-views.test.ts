import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUNDLE, cleanup, planText, tempDir } from '../runtime/helpers.ts';

/**
 * Printed text is data (issue 10): an agent name, a note and a reason full of escape sequences reach every
 * view escaped, with real processes of the bundled helper, with and without colour. A 10 KB agent name does
 * not pad a table to 10 KB. `ORCHESTRATE_BUNDLE_UNDER_TEST` runs these against another build of the helper.
 */

const HELPER = process.env.ORCHESTRATE_BUNDLE_UNDER_TEST || BUNDLE;
const EVIL = 'x\u001b[2J\u001b[H\nT-999 completed \u0007\u202e';

let dir: string;
beforeEach(() => {
  dir = tempDir('orch-views-');
});
afterEach(() => cleanup(dir));

function helper(argv: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [HELPER, ...argv], { cwd: dir, encoding: 'utf8', env: { ...process.env, ORCHESTRATE_ROOT: dir, NO_COLOR: '1', FORCE_COLOR: '0', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('escape sequences in user-supplied values are shown escaped', () => {
  it('in status, dashboard (plain and coloured), events, report, consolidate, agents and blockers', () => {
    writeFileSync(path.join(dir, 'plan.yaml'), planText('views', 2, [{ id: 'T1' }, { id: 'T2' }]));
    expect(helper(['init', 'plan.yaml', '--id', 's']).code).toBe(0);
    expect(helper(['activate']).code).toBe(0);
    expect(helper(['claim', '--agent', EVIL]).code).toBe(0);
    expect(helper(['heartbeat', '--agent', EVIL, '--note', `note ${EVIL}`]).code).toBe(0);
    expect(helper(['complete', '--ticket', 'T1', '--agent', EVIL, '--summary', `done \u001b[2J\u0007 line one\nline two`]).code).toBe(0);
    expect(helper(['claim', '--agent', 'b']).code).toBe(0);
    expect(helper(['block', '--ticket', 'T2', '--agent', 'b', '--reason', `stuck ${EVIL}`]).code).toBe(0);
    const views: [string[], Record<string, string>][] = [
      [['status'], {}],
      [['dashboard'], {}],
      [['dashboard'], { FORCE_COLOR: '1', NO_COLOR: '' }],
      [['events', '--tail', '0'], {}],
      [['report'], {}],
      [['consolidate'], {}],
      [['agents'], {}],
      [['blockers'], {}],
    ];
    for (const [argv, env] of views) {
      const r = helper(argv, env);
      const what = `${argv.join(' ')} ${JSON.stringify(env)}`;
      expect(r.code, `${what}: ${r.stderr}`).toBe(0);
      expect(r.stdout, what).not.toContain('\u001b[2J');
      expect(r.stdout, what).not.toContain('\u001b[H');
      expect(r.stdout, what).not.toContain('\u0007');
      expect(r.stdout, what).not.toContain('\u202e');
      expect(r.stdout, what).not.toMatch(/^T-999 completed/m);
      if (env.FORCE_COLOR !== '1') expect(r.stdout, what).not.toContain('\u001b');
    }
    expect(helper(['status']).stdout).toContain('x\\e[2J\\e[H\\nT-999 completed');
    // a summary is the agent's own markdown: it keeps its lines, but not its escape sequences
    expect(helper(['consolidate']).stdout).toContain('done \\e[2J\\a line one\nline two');
  });

  it('a 10 KB agent name is cut with an ellipsis in tables', () => {
    writeFileSync(path.join(dir, 'plan.yaml'), planText('views', 2, [{ id: 'T1' }, { id: 'T2' }]));
    expect(helper(['init', 'plan.yaml', '--id', 's']).code).toBe(0);
    expect(helper(['activate']).code).toBe(0);
    const long = 'n'.repeat(10_000);
    expect(helper(['claim', '--agent', long]).code).toBe(0);
    for (const argv of [['status'], ['dashboard'], ['events']]) {
      const out = helper(argv).stdout;
      const widest = Math.max(...out.split('\n').map((l) => l.length));
      expect(widest, argv.join(' ')).toBeLessThan(400);
      expect(out, argv.join(' ')).toContain('…');
    }
  });
});
