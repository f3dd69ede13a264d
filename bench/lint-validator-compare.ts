/**
 * Side by side: Claude Code's `claude plugin validate --strict` vs `build-commands lint` on the fixture corpus
 * (one defect class per folder, plus the five seeds as .claude/commands). Prints, per class, how many problems
 * each reports, how many of the validator's we also report, and which of our rules fired.
 * Run: npx tsx bench/lint-validator-compare.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { corpusClasses, coveringDiagnostic, runClaudeValidate, runOurs } from './lint-validator.ts';

const home = mkdtempSync(path.join(tmpdir(), 'bc-claude-home-'));
const rows: string[][] = [['defect class', 'claude --strict', 'ours', 'claude ⊆ ours', 'our rules']];
let tc = 0;
let to = 0;
let tcov = 0;
let classesClaude = 0;
let classesOurs = 0;
for (const cls of corpusClasses()) {
  const [claude, ours] = await Promise.all([runClaudeValidate(cls, home), runOurs(cls)]);
  const findings = ours;
  const covered = claude.filter((f) => coveringDiagnostic(f, findings)).length;
  const codes = [...new Set(findings.map((d) => d.code))].sort();
  rows.push([cls, String(claude.length), String(findings.length), `${covered}/${claude.length}`, codes.join(', ')]);
  tc += claude.length;
  to += findings.length;
  tcov += covered;
  if (claude.length) classesClaude++;
  if (findings.length) classesOurs++;
}
rows.push(['TOTAL', String(tc), String(to), `${tcov}/${tc}`, `classes detected: claude ${classesClaude}, ours ${classesOurs} of ${rows.length - 1}`]);
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '));
