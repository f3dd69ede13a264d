/**
 * The linter on real trees, checked against the real Claude Code. Public npm packages that ship Claude Code
 * commands, agents, skills or plugins are fetched with `npm pack` into a temporary folder (never committed;
 * removed at the end), laid out the way their installers place them (root `commands/`, `agents/`, `skills/`
 * in any folder become a `.claude/` tree; plugins and `.claude/` folders stay as they are; `templates/` folders,
 * which installers render first, and other tools' folders are left out), then:
 * - linted with every rule at its default (in-process; the time is printed);
 * - each tree (a `.claude` folder or a plugin's components, copied into a sandbox `.claude/`) is loaded in the
 *   real Claude Code (test/e2e/lib/oracle.ts: one `claude -p` per tree, offline) and every finding whose claim
 *   the oracle can see is confirmed or refuted: a dropped frontmatter (the command listed with its first body
 *   line, the agent missing), a skipped agent, a repaired value (listed as the linter says), a nested skill not
 *   listed, an agent's tools and model (the agents named by findings are spawned), a duplicate agent (one body);
 * - `shell-preapproval` and `argument-index` findings, and every other `!` line, are typed as one-line probe
 *   commands (a PATH of read-only programs and git): an abort for want of approval confirms the finding (or, for an
 *   unreported line, is a miss); `$N` must receive argument N+1. Under load this step takes minutes (352 probes:
 *   13 min at load 20 on 2 cores);
 * - `claude plugin validate --strict` runs on each tree for comparison (and `npx @carlrannaberg/cclint`
 *   when it installs).
 * Prints per rule: findings, how many the oracle checked, confirmed, precision; error precision overall; files
 * the client drops and how many the linter reports. Run: npx tsx bench/real-world.ts [--lint-only] [--dir DIR] [PACKAGE...]
 * `--lint-only` stops after the lint timings (in-process, and the CLI as a user runs it: `node bin/build-commands.js
 * lint ROOTS --json`, which times dist/ as bundled — run `node scripts/bundle.mjs` after changing src/), no client.
 * `--dir DIR` fetches into DIR instead of a temporary folder and keeps it: a second run reuses the packages DIR
 * already holds (DIR/packages.json), so the same tree can be linted and profiled again without the registry.
 * Needs the npm registry (npm pack) and, without `--lint-only`, the pinned Claude Code.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Diagnostic } from '../src/diagnostics/diagnostic.ts';
import { activeRules, LintConfigSchema } from '../src/lint/config.ts';
import { RULES } from '../src/lint/registry.ts';
import { discoverFiles, runRules } from '../src/lint/runner.ts';
import { makeProject } from '../src/lint/project.ts';
import { injectedCommands } from '../src/lint/body.ts';
import type { LintFile } from '../src/lint/types.ts';
import { invokeCommands, loadTree, type Invocation, type Loaded } from '../test/e2e/lib/oracle.ts';
import { claudeBin, REPO_ROOT } from '../test/e2e/stand-in/run-claude.ts';

const DEFAULT_PACKAGES = [
  'get-shit-done-cc',
  '@apogeelabs/the-agency',
  'selfish-pipeline',
  '@houseofwolvesllc/claude-scrum-skill',
  'claude-flow',
  '@nextsparkjs/ai-workflow',
  'claude-code-plugins',
  'cc-sdd',
  'claude-cli-advanced-starter-pack',
  '@orchestra-research/ai-research-skills',
  'dantelabs-agentic-school',
  '@daemux/store-automator',
  'oh-my-til',
  '@plaited/development-skills',
];
const COMPONENT_DIRS = ['commands', 'agents', 'skills'];

/** Folders holding other tools' copies, left alone. */
const OTHER_TOOLS = /^(github-copilot|copilot|cursor|codex|gemini|gemini-cli|opencode|opencode-skills|windsurf|cline|kiro|qwen|roo|amp|augment)$/i;

/** Moves `commands/`, `agents/`, `skills/` of `dir` into `dir/.claude/` (what the package's installer does). */
function intoClaude(dir: string): void {
  // A component folder that only groups other tools' variants (`agents/codex/`, `agents/claude-code/`) is not one.
  const isComponents = (p: string) =>
    fs.existsSync(p) && fs.statSync(p).isDirectory() && !fs.readdirSync(p).some((n) => OTHER_TOOLS.test(n) || /^claude-code/.test(n));
  const present = COMPONENT_DIRS.filter((d) => isComponents(path.join(dir, d)));
  if (present.length === 0 || fs.existsSync(path.join(dir, '.claude-plugin/plugin.json')) || OTHER_TOOLS.test(path.basename(dir))) return;
  fs.mkdirSync(path.join(dir, '.claude'), { recursive: true });
  for (const d of present) if (!fs.existsSync(path.join(dir, '.claude', d))) fs.renameSync(path.join(dir, d), path.join(dir, '.claude', d));
}

/** Lays out an unpacked package: the root and every folder named `claude` holding components become `.claude` trees. */
function layOut(pkgDir: string): void {
  // Any folder (outside node_modules, dot-folders and other tools' folders) holding `commands/`, `agents/` or
  // `skills/` is a tree an installer copies into `.claude/`.
  const walk = (dir: string) => {
    intoClaude(dir);
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      // Templates are rendered by the package's installer before they are installed: not linted as installed files.
      if (!e.isDirectory() || e.name === 'node_modules' || e.name.startsWith('.') || COMPONENT_DIRS.includes(e.name) || OTHER_TOOLS.test(e.name) || /^templates?$/i.test(e.name)) continue;
      walk(path.join(dir, e.name));
    }
  };
  walk(pkgDir);
}

/** `npm pack NAME` into `dir` and unpack it; returns the package folder. */
function fetchPackage(name: string, dir: string): string {
  const out = execFileSync('npm', ['pack', name, '--silent', '--pack-destination', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').pop()!;
  const dest = path.join(dir, out.replace(/\.tgz$/, ''));
  fs.mkdirSync(dest, { recursive: true });
  execFileSync('tar', ['xzf', path.join(dir, out), '-C', dest, '--strip-components=1']);
  fs.rmSync(path.join(dir, out));
  return dest;
}

/** The component files of one scope as a sandbox `.claude/` tree (path below the project → bytes). */
function sandboxTree(files: LintFile[], cwd: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const f of files) {
    if (f.kind !== 'command' && f.kind !== 'agent' && f.kind !== 'skill' && f.kind !== 'unloaded-skill') continue;
    const abs = path.resolve(cwd, f.path);
    const below = (folder: string) => new RegExp(`(?:^|/)${folder}/(.+)$`).exec(f.path.slice(f.scope === '.' ? 0 : f.scope.length))?.[1] ?? path.basename(f.path);
    // Skills keep their layout below `skills/` (a nested or misnamed SKILL.md must stay as unloadable as it is).
    const rel = f.kind === 'command' ? `commands/${f.name.split(':').join('/')}.md` : f.kind === 'agent' ? `agents/${below('agents')}` : f.kind === 'unloaded-skill' ? `skills/${below('skills')}` : `skills/${f.name}/SKILL.md`;
    out[`.claude/${rel}`] = fs.readFileSync(abs);
  }
  return out;
}

function firstBodyLine(text: string): string {
  return (text.split('\n').find((l) => l.trim() !== '') ?? '').replace(/^#+\s*/, '').trim();
}

/**
 * True when the client's listing `shown` is `expected`: the same text, or its start (with many components the
 * client shortens long descriptions, seen on 2.1.329), with `<`, `>`, `&` escaped and whitespace collapsed.
 */
function same(shown: string | undefined, expected: string): boolean {
  if (shown === undefined) return false;
  const norm = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ').trim();
  const a = norm(shown);
  const b = norm(expected);
  return a === b || (a.length >= 20 && b.startsWith(a.replace(/…$/, '')));
}

/** What the client shows for a command/skill (its description), or whether an agent is listed. */
interface Verdict {
  checked: boolean;
  confirmed: boolean;
}

const DROP_RULES = new Set(['frontmatter-parse', 'frontmatter-start']);
const AGENT_SKIP_RULES = new Set(['agent-required', 'agent-name', 'value-type', 'frontmatter-parse', 'frontmatter-start']);

/** Every linted file by display path (set by main, read by {@link verdict}). */
let allFiles = new Map<string, LintFile>();

/** Findings checked by typing a probe command in the client: the prompt and what confirms the claim. */
const probes = new Map<Diagnostic, { prompt: string; confirms: (inv: Invocation) => boolean }>();
/** What each probe prompt did (set by main). */
let invocations = new Map<string, Invocation>();

const squash = (t: string) => t.replace(/\s+/g, ' ').trim();

/**
 * Probe commands for the findings whose claim shows only when the command is typed (`shell-preapproval`,
 * `argument-index`), and for every other `!` line (to count the ones the client aborts although no finding names
 * them): each is a new command with the file's own frontmatter and one line of its body, so one
 * abort cannot hide another finding. `shell-preapproval` is confirmed when the client aborts the probe for
 * want of approval (2.1.329: `Shell command permission check failed for pattern …`, no request sent);
 * `argument-index` when, typed with ten arguments `qx0qx … qx9qx`, the line reaches the model with `$N` replaced
 * by argument N+1 (`qxNqx`). Returns the probe files (path below the project → text).
 */
function makeProbes(diags: Diagnostic[], byFile: Map<string, LintFile>): Record<string, string> {
  const files: Record<string, string> = {};
  let n = 0;
  const args = Array.from({ length: 10 }, (_, k) => `qx${k}qx`);
  for (const d of diags) {
    const f = byFile.get(d.file);
    if (!f?.md || (d.code !== 'shell-preapproval' && d.code !== 'argument-index')) continue;
    const { text, body } = f.md;
    const head = text.endsWith(body) ? text.slice(0, text.length - body.length) : '';
    const id = `oracle-probe-${++n}`;
    if (d.code === 'shell-preapproval') {
      const m = /^Command `([\s\S]*)` in (`!`\.\.\.``|a ```! block)/.exec(d.message);
      if (!m) continue;
      files[`.claude/commands/${id}.md`] = head + (m[2]!.includes('```!') ? `\`\`\`!\n${m[1]}\n\`\`\`\n` : `Out: !\`${m[1]}\`\n`);
      probes.set(d, { prompt: `/${id}`, confirms: (inv) => !inv.sent && /permission check failed/.test(inv.result) });
    } else {
      // The finding's line, without `!` shell lines (their abort would hide the substitution).
      const line = (text.split('\n')[d.line - 1] ?? '').replace(/(^|\s)!`/g, '$1`');
      const want = squash(line.replace(/\$ARGUMENTS\[(\d)\]/g, 'qx$1qx').replace(/\$(\d+)(?!\d)/g, (m0, k: string) => (Number(k) <= 9 ? `qx${k}qx` : m0)).replace(/\$ARGUMENTS\b/g, args.join(' ')));
      files[`.claude/commands/${id}.md`] = `${head}${line}\n`;
      probes.set(d, { prompt: `/${id} ${args.join(' ')}`, confirms: (inv) => inv.sent && squash(inv.body).includes(want) });
    }
  }
  // Every `!` line no finding names is typed too: one the client aborts for want of approval is a miss.
  for (const f of byFile.values()) {
    if ((f.kind !== 'command' && f.kind !== 'skill') || !f.md) continue;
    const { text, body } = f.md;
    const head = text.endsWith(body) ? text.slice(0, text.length - body.length) : '';
    for (const c of injectedCommands(f)) {
      if (diags.some((d) => d.code === 'shell-preapproval' && d.file === f.path && d.line === c.line)) continue;
      const id = `oracle-probe-${++n}`;
      files[`.claude/commands/${id}.md`] = head + (c.fenced ? `\`\`\`!\n${c.text}\n\`\`\`\n` : `Out: !\`${c.text}\`\n`);
      unreported.push({ where: `${f.path}:${c.line}`, text: c.text, prompt: `/${id}` });
    }
  }
  return files;
}

/** `!` lines without a shell-preapproval finding, typed to find the ones the client aborts (misses). */
const unreported: { where: string; text: string; prompt: string }[] = [];

/**
 * A PATH folder with a few read-only programs (and the shells, and `git`, without which the client judges `git …`
 * lines otherwise: `git bisect log` passed its check with no git on PATH, seen on 2.1.329): what a probe's `!` line
 * may run.
 */
function safeBin(dir: string): string {
  const bin = path.join(dir, 'safe-bin');
  fs.mkdirSync(bin, { recursive: true });
  for (const p of ['bash', 'sh', 'git', 'ls', 'cat', 'head', 'tail', 'wc', 'sort', 'grep', 'find', 'date', 'uname', 'whoami', 'pwd', 'dirname', 'basename']) {
    const r = spawnSync('sh', ['-c', `command -v ${p}`], { encoding: 'utf8' });
    const at = r.stdout.trim();
    if (at.startsWith('/')) fs.symlinkSync(at, path.join(bin, p));
  }
  return bin;
}

/** Confirms or refutes one finding against what the client loaded; `checked: false` when the oracle cannot see its claim. */
function verdict(d: Diagnostic, f: LintFile | undefined, loaded: Loaded): Verdict {
  const probe = probes.get(d);
  if (probe) {
    const inv = invocations.get(probe.prompt);
    return inv ? { checked: true, confirmed: probe.confirms(inv) } : { checked: false, confirmed: false };
  }
  if (!f?.md) return { checked: false, confirmed: false };
  const listedAgent = (n: unknown) => typeof n === 'string' && loaded.agents.has(n);
  if (f.kind === 'agent' && AGENT_SKIP_RULES.has(d.code)) {
    if (d.code === 'value-type' && !/`(name|description)`/.test(d.message)) return { checked: false, confirmed: false };
    if (d.code === 'frontmatter-start' && /byte order mark/.test(d.message)) return { checked: false, confirmed: false }; // a 2.1.197 claim
    // The agent's name as written (the client never read it when the block dropped): look for the file's name.
    const name = f.md.data.name ?? path.basename(f.path, '.md');
    return { checked: true, confirmed: !listedAgent(name) };
  }
  if ((f.kind === 'command' || f.kind === 'skill') && DROP_RULES.has(d.code)) {
    if (/byte order mark/.test(d.message)) return { checked: false, confirmed: false };
    const shown = loaded.skills.get(f.name);
    if (/`---` inside a value/.test(d.message)) return { checked: true, confirmed: same(shown, String(f.md.data.description ?? '')) };
    const expect = f.client?.status === 'none' ? '---' : firstBodyLine(f.md.body);
    return { checked: shown !== undefined, confirmed: same(shown, expect) };
  }
  if (d.code === 'duplicate-name') {
    // One of the two is hidden: the client lists the name once, with one file's description.
    const other = /used by \w+ `([^`]+)`/.exec(d.message)?.[1];
    const o = other ? allFiles.get(other) : undefined;
    const da = String(f.md.data.description ?? '');
    const db = String(o?.md?.data.description ?? '');
    // An agent: spawned, its system prompt holds exactly one of the two bodies.
    const sp = f.kind === 'agent' ? loaded.spawned.get(String(f.md.data.name)) : undefined;
    if (sp && o?.md) {
      const ba = squash(f.md.body);
      const bb = squash(o.md.body);
      const sys = squash(sp.system);
      if (ba !== bb) return { checked: true, confirmed: sys.includes(ba) !== sys.includes(bb) };
    }
    if (!o || da === db) return { checked: false, confirmed: false };
    const shown = f.kind === 'agent' ? loaded.agents.get(String(f.md.data.name))?.description : loaded.skills.get(f.name);
    if (shown === undefined) return { checked: false, confirmed: false };
    return { checked: true, confirmed: same(shown, da) !== same(shown, db) };
  }
  if (d.code === 'skill-layout') {
    // Not loaded under any name: neither its folder nor a namespaced form is listed.
    const folder = path.basename(path.dirname(f.path));
    const listed = [...loaded.skills.keys()].some((k) => k === folder || k.endsWith(`:${folder}`));
    return { checked: true, confirmed: !listed };
  }
  if (d.code === 'value-type' && (f.kind === 'command' || f.kind === 'skill') && /`description`/.test(d.message)) {
    const shown = loaded.skills.get(f.name);
    return { checked: shown !== undefined, confirmed: same(shown, firstBodyLine(f.md.body)) };
  }
  if (f.kind === 'agent' && (d.code === 'unknown-tool' || d.code === 'agent-tools-empty' || d.code === 'value-type')) {
    const name = String(f.md.data.name);
    const refusedZero = loaded.refusals.some((r) => r.startsWith(`Agent '${name}' would be spawned with zero tools`));
    const spawned = loaded.spawned.get(name);
    if (d.code === 'agent-tools-empty') return { checked: refusedZero || spawned !== undefined, confirmed: refusedZero || spawned?.tools.length === 0 };
    if (refusedZero) return { checked: true, confirmed: true };
    if (!spawned) return { checked: false, confirmed: false };
    if (d.code === 'unknown-tool') {
      const tool = /Unknown tool `([^`]+)`/.exec(d.message)?.[1] ?? '';
      return { checked: /in `tools`/.test(d.message), confirmed: !spawned.tools.includes(tool) };
    }
    if (/`tools`/.test(d.message)) return { checked: true, confirmed: spawned.tools.length === 0 };
    if (/`model`/.test(d.message)) return { checked: true, confirmed: !String(spawned.model).includes(String(f.md.data.model)) };
  }
  if (d.code === 'unknown-tool' && (f.kind === 'command' || f.kind === 'skill')) {
    const tool = /Unknown tool `([^`]+)`/.exec(d.message)?.[1] ?? '';
    return { checked: true, confirmed: !loaded.tools.includes(tool) };
  }
  if (d.code === 'frontmatter-recovery') {
    if (f.kind === 'agent') return { checked: true, confirmed: listedAgent(f.md.data.name) };
    const shown = loaded.skills.get(f.name);
    const desc = f.md.data.description;
    return typeof desc === 'string' && shown !== undefined ? { checked: true, confirmed: same(shown, desc) } : { checked: false, confirmed: false };
  }
  return { checked: false, confirmed: false };
}

/** Middle value of three or more numbers (ms). */
function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

/**
 * Lints `roots` in-process with `rules` `runs` times: discovery + parse + every rule, as `build-commands lint` does
 * minus the process start and the report. Returns the last run's files and findings, the median wall and CPU
 * time (ms), and the first run's (cold: the later runs reuse the JIT's compiled code, as a user's single run cannot).
 */
async function lintInProcess(roots: string[], cwd: string, rules: ReturnType<typeof activeRules>, runs = 3): Promise<{ files: LintFile[]; diags: Diagnostic[]; wallMs: number; cpuMs: number; firstWallMs: number; firstCpuMs: number }> {
  const times: number[] = [];
  const cpu: number[] = [];
  let files: LintFile[] = [];
  let diags: Diagnostic[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    files = await discoverFiles(roots, cwd);
    const project = makeProject(files, (p) => fs.existsSync(path.resolve(cwd, p)), (p) => {
      try {
        return fs.readFileSync(path.resolve(cwd, p), 'utf8');
      } catch {
        return null;
      }
    });
    diags = runRules(project, rules);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { files, diags, wallMs: median(times), cpuMs: median(cpu), firstWallMs: times[0]!, firstCpuMs: cpu[0]! };
}

/**
 * CPU time (user + system, ms) of this process's waited-for children, from /proc/self/stat (`cutime`, `cstime`, in
 * clock ticks of 10 ms); null where there is no /proc (then only wall time is printed).
 */
function childCpuMs(): number | null {
  try {
    // Fields after the `(comm)`: state is field 3, cutime and cstime are fields 16 and 17.
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[13]) + Number(f[14])) * 10;
  } catch {
    return null;
  }
}

/**
 * Runs the CLI as a user does, `node bin/build-commands.js lint ROOTS --json` in `cwd`, `runs` times. Returns the
 * median wall time (ms, process start to exit), the median CPU time of the process (user + system, ms; null
 * without /proc) and the finding count of the JSON report.
 * @throws Error when the CLI writes no JSON report (its stderr is in the message).
 */
function lintCli(roots: string[], cwd: string, runs = 3): { wallMs: number; cpuMs: number | null; findings: number } {
  const bin = path.join(REPO_ROOT, 'bin/build-commands.js');
  const times: number[] = [];
  const cpu: number[] = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    const c0 = childCpuMs();
    const t = process.hrtime.bigint();
    // Exit 1 when there are errors: expected on real trees.
    const r = spawnSync(process.execPath, [bin, 'lint', ...roots, '--json'], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
    const c1 = childCpuMs();
    if (c0 !== null && c1 !== null) cpu.push(c1 - c0);
    try {
      findings = (JSON.parse(r.stdout) as { diagnostics: unknown[] }).diagnostics.length;
    } catch {
      throw new Error(`build-commands lint wrote no JSON (exit ${r.status}): ${r.stderr.slice(0, 300)}`);
    }
  }
  return { wallMs: median(times), cpuMs: cpu.length === runs ? median(cpu) : null, findings };
}

/** True when dist/build-commands.mjs is older than some file under src/ (the CLI would then time old code). */
function distStale(): boolean {
  const dist = path.join(REPO_ROOT, 'dist/build-commands.mjs');
  if (!fs.existsSync(dist)) return true;
  const built = fs.statSync(dist).mtimeMs;
  const newer = (dir: string): boolean =>
    fs.readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? newer(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs > built));
  return newer(path.join(REPO_ROOT, 'src'));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const lintOnly = args.includes('--lint-only');
  const dirAt = args.indexOf('--dir');
  const keep = dirAt >= 0 ? args[dirAt + 1] : undefined;
  if (dirAt >= 0 && !keep) throw new Error('--dir needs a folder: --dir DIR');
  const named = args.filter((a, i) => a !== '--lint-only' && (dirAt < 0 || (i !== dirAt && i !== dirAt + 1)));
  const names = named.length ? named : DEFAULT_PACKAGES;
  const tmp = keep ? path.resolve(keep) : fs.mkdtempSync(path.join(os.tmpdir(), 'bc-real-world-'));
  fs.mkdirSync(tmp, { recursive: true });
  // Packages already fetched into a kept folder: name → folder name.
  const listFile = path.join(tmp, 'packages.json');
  const fetched: Record<string, string> = keep && fs.existsSync(listFile) ? JSON.parse(fs.readFileSync(listFile, 'utf8')) : {};
  try {
    const roots: string[] = [];
    for (const n of names) {
      try {
        const have = fetched[n] !== undefined && fs.existsSync(path.join(tmp, fetched[n]!)) ? path.join(tmp, fetched[n]!) : undefined;
        const dir = have ?? fetchPackage(n, tmp);
        if (!have) layOut(dir);
        fetched[n] = path.basename(dir);
        roots.push(dir);
      } catch (e) {
        console.log(`skip ${n}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    if (keep) fs.writeFileSync(listFile, `${JSON.stringify(fetched, null, 2)}\n`);
    const rules = activeRules(RULES, LintConfigSchema.parse({}));
    // Lint: discovery + parse + every rule, timed (median of 3), then the CLI over the same roots.
    const { files, diags, wallMs, cpuMs, firstWallMs, firstCpuMs } = await lintInProcess(roots, tmp, rules);
    const cli = lintCli(roots.map((r) => path.relative(tmp, r)), tmp);
    const components = files.filter((f) => f.kind !== 'plugin-manifest' && f.kind !== 'plugin-hooks');
    const perPackage = roots.map((r) => [path.basename(r), components.filter((f) => path.resolve(tmp, f.path).startsWith(`${r}/`)).length] as const);
    console.log(`packages: ${perPackage.map(([n, c]) => `${n} (${c})`).join(', ')}`);
    console.log(`files linted: ${files.length} (${components.length} commands/agents/skills); lint time (discover+parse+rules, in-process, median of 3): ${wallMs.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU (first run: ${firstWallMs.toFixed(0)} ms wall, ${firstCpuMs.toFixed(0)} ms CPU); load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`);
    console.log(`lint time as a user runs it (node bin/build-commands.js lint ROOTS --json, process start to exit, median of 3): ${cli.wallMs.toFixed(0)} ms wall${cli.cpuMs !== null ? `, ${cli.cpuMs.toFixed(0)} ms CPU` : ''}; load average ${os.loadavg()[0]!.toFixed(1)}; ${cli.findings} findings (in-process: ${diags.length})${distStale() ? '; dist/ is older than src/, so this times the last bundle (node scripts/bundle.mjs)' : ''}`);
    if (lintOnly) return;

    // Oracle: one client run per scope.
    const byFile = new Map(files.map((f) => [f.path, f]));
    allFiles = byFile;
    const probeFiles = makeProbes(diags, byFile);
    const t0 = Date.now();
    invocations = await invokeCommands(probeFiles, [...new Set([...probes.values()].map((p) => p.prompt)), ...unreported.map((u) => u.prompt)], { pathEnv: safeBin(tmp) });
    console.log(`probe commands typed in the client: ${invocations.size} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    const missed = unreported.filter((u) => {
      const inv = invocations.get(u.prompt);
      return inv && !inv.sent && /permission check failed/.test(inv.result);
    });
    console.log(`\`!\` lines with no shell-preapproval finding: ${unreported.length}; aborted by the client for want of approval (missed): ${missed.length}`);
    for (const m of missed.slice(0, 10)) console.log(`  missed ${m.where}: ${m.text.slice(0, 120)} → ${invocations.get(m.prompt)!.result.slice(0, 140)}`);
    const scopes = [...new Set(components.map((f) => f.scope))];
    const stats = new Map<string, { findings: number; severity: string; checked: number; confirmed: number }>();
    let dropped = 0;
    let droppedReported = 0;
    const refuted: string[] = [];
    for (const scope of scopes) {
      const inScope = components.filter((f) => f.scope === scope);
      const tree = sandboxTree(inScope, tmp);
      if (Object.keys(tree).length === 0) continue;
      let loaded: Loaded;
      try {
        // Agents whose tools or values a finding is about are spawned, to read the tools and model they really get.
        const spawn = [...new Set(diags.filter((d) => ['unknown-tool', 'agent-tools-empty', 'value-type', 'duplicate-name'].includes(d.code) && byFile.get(d.file)?.kind === 'agent' && byFile.get(d.file)?.scope === scope).map((d) => byFile.get(d.file)!.md?.data.name).filter((x): x is string => typeof x === 'string'))];
        loaded = await loadTree(tree, { spawn });
      } catch (e) {
        console.log(`oracle failed on ${scope}: ${(e as Error).message.slice(0, 200)}`);
        continue;
      }
      const paths = new Set(inScope.map((f) => f.path));
      for (const d of diags.filter((x) => paths.has(x.file))) {
        const s = stats.get(d.code) ?? { findings: 0, severity: d.severity, checked: 0, confirmed: 0 };
        s.findings++;
        const v = verdict(d, byFile.get(d.file), loaded);
        if (v.checked) s.checked++;
        if (v.checked && v.confirmed) s.confirmed++;
        else if (v.checked) {
          const inv = probes.has(d) ? invocations.get(probes.get(d)!.prompt) : undefined;
          refuted.push(`${d.file}:${d.line}: ${d.message.slice(0, 160)}${inv ? ` → ${inv.sent ? `sent: ${squash(inv.body).slice(0, 120)}` : `aborted: ${inv.result.slice(0, 160)}`}` : ''}`);
        }
        stats.set(d.code, s);
      }
      // Files the client dropped: an agent not listed, a command listed with its first body line although it has a description.
      for (const f of inScope) {
        if (!f.md) continue;
        const errors = diags.filter((x) => x.file === f.path && x.severity === 'error');
        let drop = false;
        if (f.kind === 'agent') drop = !(typeof f.md.data.name === 'string' && loaded.agents.has(f.md.data.name));
        else {
          const shown = loaded.skills.get(f.name);
          const desc = f.md.data.description;
          drop = shown !== undefined && /^---\s*\n[\s\S]*?\ndescription:/.test(f.md.text) && !(typeof desc === 'string' && same(shown, desc)) && same(shown, firstBodyLine(f.md.body));
        }
        if (drop) {
          dropped++;
          if (errors.length) droppedReported++;
          else refuted.push(`MISSED drop: ${f.path}`);
        }
      }
    }
    // Diagnostics outside component scopes (manifests, hooks, unreadable files): counted, not checked.
    for (const d of diags.filter((x) => !components.some((f) => f.path === x.file && scopes.includes(f.scope)))) {
      const s = stats.get(d.code) ?? { findings: 0, severity: d.severity, checked: 0, confirmed: 0 };
      s.findings++;
      stats.set(d.code, s);
    }

    console.log('\n| rule | severity | findings | oracle checked | confirmed | precision |');
    console.log('|---|---|---:|---:|---:|---:|');
    const rows = [...stats].sort((a, b) => b[1].findings - a[1].findings);
    for (const [code, s] of rows) console.log(`| ${code} | ${s.severity} | ${s.findings} | ${s.checked} | ${s.confirmed} | ${s.checked ? `${((100 * s.confirmed) / s.checked).toFixed(1)}%` : 'n/a'} |`);
    const errs = rows.filter(([, s]) => s.severity === 'error');
    const eChecked = errs.reduce((n, [, s]) => n + s.checked, 0);
    const eConfirmed = errs.reduce((n, [, s]) => n + s.confirmed, 0);
    const eTotal = errs.reduce((n, [, s]) => n + s.findings, 0);
    console.log(`\nerror findings: ${eTotal}; oracle-checked ${eChecked}, confirmed ${eConfirmed}: precision ${eChecked ? ((100 * eConfirmed) / eChecked).toFixed(1) : 'n/a'}%`);
    console.log(`files the client drops (agent not offered / command without its metadata): ${dropped}; reported with an error: ${droppedReported}`);
    for (const [code, s] of errs.filter(([, x]) => x.checked < x.findings))
      console.log(`unchecked ${code} (${s.findings - s.checked}), e.g.: ${diags.filter((d) => d.code === code).slice(0, 2).map((d) => `${d.file}:${d.line}: ${d.message.slice(0, 140)}`).join(' | ')}`);
    if (refuted.length) console.log(`refuted or missed (${refuted.length}):\n  ${refuted.slice(0, 40).join('\n  ')}`);

    // Claude Code's own validator on each tree, for comparison.
    const home = fs.mkdtempSync(path.join(tmp, 'home-'));
    let vErrors = 0;
    let vWarnings = 0;
    let vTrees = 0;
    for (const scope of scopes) {
      const target = path.resolve(tmp, scope);
      if (!fs.existsSync(target)) continue;
      const r = spawnSync(claudeBin(), ['plugin', 'validate', '--strict', '--json', target], { encoding: 'utf8', env: { ...process.env, HOME: home, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' }, timeout: 60_000 });
      try {
        const rep = JSON.parse(r.stdout) as { manifest?: { errors?: unknown[]; warnings?: unknown[] } | null; contents?: { errors?: unknown[]; warnings?: unknown[] }[] | null };
        vTrees++;
        vErrors += (rep.manifest?.errors?.length ?? 0) + (rep.contents ?? []).reduce((n, c) => n + (c.errors?.length ?? 0), 0);
        vWarnings += (rep.manifest?.warnings?.length ?? 0) + (rep.contents ?? []).reduce((n, c) => n + (c.warnings?.length ?? 0), 0);
      } catch {
        // not a tree the validator reads
      }
    }
    console.log(`\nclaude plugin validate --strict on ${vTrees} trees: ${vErrors} errors, ${vWarnings} warnings`);
    const cc = spawnSync('npx', ['--yes', '@carlrannaberg/cclint', '--help'], { encoding: 'utf8', timeout: 120_000, cwd: tmp });
    if (cc.status === 0) {
      let total = 0;
      for (const r of roots) {
        const out = spawnSync('npx', ['--yes', '@carlrannaberg/cclint', '--root', r], { encoding: 'utf8', timeout: 120_000, cwd: r });
        total += (out.stdout.match(/✗|error/gi) ?? []).length;
      }
      console.log(`@carlrannaberg/cclint: ${total} error lines over ${roots.length} packages`);
    } else console.log(`@carlrannaberg/cclint: not run (${(cc.stderr || cc.stdout).split('\n')[0]?.slice(0, 120)})`);
  } finally {
    if (keep) console.log(`tree kept in ${tmp} (roots: ${Object.values(fetched).join(' ')})`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
