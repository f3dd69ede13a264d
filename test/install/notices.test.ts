/**
 * The bundles carry the licence notices of the npm packages they inline (scripts/notices.mjs): the helper users
 * get in every pack (dist/orchestrate.mjs, copied as dist-claude/scripts/orchestrate.mjs) and the CLI the package
 * ships (dist/build-commands.mjs). The MIT/ISC licences of these packages ask for their notice in every copy.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Version and licence file text (undefined when it ships none: pg-types, pgpass) of the installed package `name`. */
function installed(name: string): { version: string; licence: string | undefined } {
  const dir = path.join(ROOT, 'node_modules', name);
  const version = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const file = fs.readdirSync(dir).find((f) => /^licen[cs]e(\.(md|txt))?$/i.test(f));
  return { version, licence: file && fs.readFileSync(path.join(dir, file), 'utf8').trim() };
}

describe('licence notices of inlined packages', () => {
  const cases: Array<[string, string[]]> = [
    // the helper: yaml and zod (state files, plans), pg and its parts (the PostgreSQL store)
    ['dist-claude/scripts/orchestrate.mjs', ['yaml', 'zod', 'pg', 'pg-pool', 'pg-protocol', 'pg-types', 'pgpass']],
    ['dist/orchestrate.mjs', ['yaml', 'zod', 'pg']],
    // the CLI: the compiler's and linter's libraries
    ['dist/build-commands.mjs', ['yaml', 'zod', 'handlebars', 'fast-glob', 'picocolors', 'mdast-util-from-markdown']],
  ];
  for (const [file, names] of cases) {
    it(`${file} ends with the notices of ${names.join(', ')}`, () => {
      const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
      const at = text.lastIndexOf('\n/*\nThird-party software inlined in this file');
      expect(at, 'a notices comment').toBeGreaterThan(0);
      const notices = text.slice(at);
      expect(notices.trimEnd().endsWith('*/')).toBe(true);
      for (const name of names) {
        const { version, licence } = installed(name);
        expect(notices, `${name} listed with its version`).toContain(`\n  ${name} ${version}\n`);
        const start = notices.indexOf(`\n${name} ${version} (`);
        expect(start, `${name}'s section`).toBeGreaterThan(0);
        const section = notices.slice(start, notices.indexOf('\n----\n', start) === -1 ? undefined : notices.indexOf('\n----\n', start));
        // the licence file as shipped, or (no file) the README's licence section, which names the copyright holder
        if (licence) expect(section, `${name}'s licence text`).toContain(licence.split('*/').join('* /'));
        else expect(section, `${name}'s copyright notice`).toMatch(/Copyright \(c\)/i);
      }
    });
  }
});
