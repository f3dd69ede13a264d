import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BufferStream } from '../../src/cli/io.ts';
import { main } from '../../src/cli/orchestrate.ts';
import { HELPER_VERBS } from '../../src/compiler/helper-verbs.ts';

/**
 * docs/pack.md's seed map, checked against the helper: every seed section has a row that says how it is
 * delivered (helper, prompt, replaced or dropped — never "missing"), and every helper call the "delivered by"
 * column names (`verb --flag`) is a verb the helper has, with a flag its usage lists.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Programs the map names beside the helper (their flags are not the helper's). */
const OTHER_PROGRAMS = new Set(['git', 'npm', 'npx', 'node', 'claude', 'make', 'sleep', 'yq']);
const doc = fs.readFileSync(path.join(ROOT, 'docs/pack.md'), 'utf8');

/** The rows of the seed tables: `[seed heading, feature, delivered by]`. */
function seedRows(): [string, string, string][] {
  const rows: [string, string, string][] = [];
  let seed: string | null = null;
  for (const line of doc.split('\n')) {
    if (line.startsWith('## ')) seed = /^## Seed \d{3}/.test(line) ? line : null;
    if (!seed || !line.startsWith('| ') || line.startsWith('| section') || line.startsWith('|---')) continue;
    // split on cell bars, not on escaped ones (`a\|b`)
    const cells = line.slice(2, -2).split(/(?<!\\) \| /);
    rows.push([seed, cells[0]!, cells.slice(1).join(' | ')]);
  }
  return rows;
}

async function usageOf(verb: string): Promise<string> {
  const stdout = new BufferStream();
  await main({ argv: [verb, '--help'], cwd: ROOT, stdout, stderr: new BufferStream(), env: {} });
  return stdout.text.slice(0, stdout.text.indexOf('\n\n'));
}

describe('docs/pack.md seed map', () => {
  const rows = seedRows();

  it('has rows for all five seeds, each saying how the feature is delivered', () => {
    expect(new Set(rows.map((r) => r[0].slice(0, 11)))).toEqual(new Set(['## Seed 000', '## Seed 001', '## Seed 002', '## Seed 003', '## Seed 004']));
    expect(rows.length).toBeGreaterThan(100);
    const undelivered = rows.filter(([, , by]) => /^(missing|todo|tbd|not yet|-)?$|^(missing|todo|tbd|not yet)\b|\bnot (yet )?(implemented|delivered|built)\b/i.test(by.trim())).map(([s, f]) => `${s}: ${f}`);
    expect(undelivered).toEqual([]);
  });

  it('names only helper verbs and flags that exist', async () => {
    const usages = new Map<string, string>();
    const wrong: string[] = [];
    for (const [seed, feature, by] of rows) {
      for (const m of by.matchAll(/`([a-z][a-z-]*)((?: (?:--[a-z][a-z-]*|[^`\s-][^`\s]*))*)`/g)) {
        const verb = m[1]!;
        const flags = [...m[2]!.matchAll(/ (--[a-z][a-z-]*)/g)].map((f) => f[1]!);
        if (OTHER_PROGRAMS.has(verb)) continue;
        if (!(HELPER_VERBS as readonly string[]).includes(verb)) {
          // a lowercase word with flags that is no helper verb: a helper call that does not exist
          if (flags.length) wrong.push(`${seed} / ${feature}: \`${m[0]}\` — no verb \`${verb}\``);
          continue;
        }
        if (!usages.has(verb)) usages.set(verb, await usageOf(verb));
        for (const f of flags) if (!new RegExp(`${f}(?![a-z-])`).test(usages.get(verb)!)) wrong.push(`${seed} / ${feature}: \`${m[0]}\` — \`${verb}\` has no \`${f}\``);
      }
    }
    expect(usages.size).toBeGreaterThan(15);
    expect(wrong).toEqual([]);
  });
});
