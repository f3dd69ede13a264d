import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { corpusClasses, CORPUS, coveringDiagnostic, runClaudeValidate, runOurs, type ClaudeFinding } from '../../bench/lint-validator.ts';

// Fixture corpus: one defect class per folder (plus the five seeds placed as .claude/commands). Our findings are
// pinned in <class>/expected.txt (regenerate: UPDATE_LINT_CORPUS=1 npx vitest run test/lint/corpus.test.ts);
// Claude Code's own validator runs live on every class and each of its findings must be one of ours.
const classes = corpusClasses();
const line = (d: { file: string; line: number; col: number; severity: string; message: string; code: string }) =>
  `${d.line > 0 ? `${d.file}:${d.line}:${d.col}` : d.file}: ${d.severity} ${d.message} [${d.code}]`;

const claude = new Map<string, ClaudeFinding[]>();
beforeAll(async () => {
  const home = mkdtempSync(path.join(tmpdir(), 'bc-claude-home-'));
  const queue = [...classes];
  const worker = async () => {
    for (let c = queue.shift(); c !== undefined; c = queue.shift()) claude.set(c, await runClaudeValidate(c, home));
  };
  await Promise.all([worker(), worker()]);
}, 120_000);

describe('lint corpus', () => {
  for (const cls of classes) {
    it(`${cls}: pinned findings, and every \`claude plugin validate --strict\` finding is ours`, async () => {
      const ours = await runOurs(cls);
      const file = path.join(CORPUS, cls, 'expected.txt');
      const got = ours.map(line).join('\n') + '\n';
      if (process.env.UPDATE_LINT_CORPUS || !existsSync(file)) writeFileSync(file, got);
      expect(got).toBe(readFileSync(file, 'utf8'));
      expect(ours.length).toBeGreaterThan(0);
      if (cls !== 'seeds') expect(new Set(ours.map((d) => d.code)).size, 'one defect class per folder').toBe(1);
      for (const f of claude.get(cls)!) expect(coveringDiagnostic(f, ours), `claude: ${f.file} ${f.field}: ${f.message}`).toBeDefined();
    });
  }
});
