/**
 * Building the pack with the real compiler (`node bin/build-commands.js`, the bundled dist/ a user runs) and
 * enumerating what it wrote, so every command and agent is covered without a hard-coded list.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from '../stand-in/run-claude.ts';

/** Build target (DESIGN.md: `--target claude|plugin`). */
export type Target = 'claude' | 'plugin';

/**
 * Runs `node bin/build-commands.js [--src SRC] --target TARGET --out OUT` from the repository root.
 * `src` defaults to `E2E_PACK_SRC` when set (a definitions tree), else the repository's own pack.
 * With `E2E_PREBUILT_CLAUDE` / `E2E_PREBUILT_PLUGIN` set to a built folder, that folder is copied instead
 * of building (used to run the suite on a mutated copy of the output, see docs/e2e.md).
 * @throws Error with the compiler's output when it exits non-zero.
 */
export function buildPack(target: Target, out: string, src: string | undefined = process.env.E2E_PACK_SRC): void {
  const prebuilt = process.env[`E2E_PREBUILT_${target.toUpperCase()}`];
  if (prebuilt) {
    fs.cpSync(path.resolve(prebuilt), out, { recursive: true });
    return;
  }
  const args = ['bin/build-commands.js', ...(src ? ['--src', path.resolve(src)] : []), '--target', target, '--out', out];
  const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build-commands ${args.slice(1).join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
}

/** A generated markdown file split into its frontmatter (parsed) and body (verbatim). */
export interface BuiltFile {
  /** Absolute path. */
  file: string;
  frontmatter: Record<string, unknown>;
  body: string;
}

/** A built command and the name it is invoked by (`commands/a/b.md` → `/a:b`; in a plugin `/PLUGIN:a:b`). */
export interface BuiltCommand extends BuiltFile {
  name: string;
}

/** A built agent: `name` from its frontmatter, `spawnName` what `subagent_type` must be (namespaced in a plugin). */
export interface BuiltAgent extends BuiltFile {
  name: string;
  spawnName: string;
}

/** Splits `---\nYAML\n---\nBODY` (the file must start with `---` at byte 0). */
export function splitFrontmatter(file: string): BuiltFile {
  const text = fs.readFileSync(file, 'utf8');
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!m) return { file, frontmatter: {}, body: text };
  return { file, frontmatter: (parseYaml(m[1]!) as Record<string, unknown>) ?? {}, body: m[2]! };
}

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.md') ? [path.join(dir, e.name)] : []))
    .sort();
}

/**
 * Every command under `ROOT/commands/` (ROOT = a built `.claude/` or a plugin folder).
 * @param plugin the plugin name for a plugin target (commands are namespaced `/PLUGIN:...`), else undefined.
 */
export function builtCommands(root: string, plugin?: string): BuiltCommand[] {
  const base = path.join(root, 'commands');
  return walk(base).map((file) => {
    const rel = path.relative(base, file).replace(/\.md$/, '').split(path.sep).join(':');
    return { ...splitFrontmatter(file), name: `/${plugin ? `${plugin}:` : ''}${rel}` };
  });
}

/** Every agent under `ROOT/agents/`; `spawnName` is `PLUGIN:name` for a plugin, `name` otherwise. */
export function builtAgents(root: string, plugin?: string): BuiltAgent[] {
  return walk(path.join(root, 'agents')).map((file) => {
    const f = splitFrontmatter(file);
    const name = String(f.frontmatter.name ?? path.basename(file, '.md'));
    return { ...f, name, spawnName: plugin ? `${plugin}:${name}` : name };
  });
}

/** Makes `dir` a git repository with one commit (so `rollback` has history and agents can commit). */
export function gitInit(dir: string): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 'e2e', GIT_AUTHOR_EMAIL: 'e2e@example.invalid', GIT_COMMITTER_NAME: 'e2e', GIT_COMMITTER_EMAIL: 'e2e@example.invalid' } });
  git('init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dir, '.gitignore'), '.orchestration/\n.claude/\nhelper.log\n');
  fs.writeFileSync(path.join(dir, 'README.md'), '# e2e project\n');
  git('add', '.gitignore', 'README.md');
  git('commit', '-q', '-m', 'initial');
}
