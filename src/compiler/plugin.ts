import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { DefinitionSet } from '../definitions/load.ts';
import type { GeneratedFile } from './compile.ts';
import { packageInfo, packageRoot } from './package-root.ts';
import { agentRef, PLUGIN_NAME } from './target.ts';
import { readWithin } from '../util/safe-path.ts';

/** What the plugin (the built pack) does, for plugin.json, the marketplace and the README. */
export const PLUGIN_DESCRIPTION =
  'Execution and orchestration commands for Claude Code: run a plan of tickets with parallel agents that claim work through a lock-safe helper, with progress, blockers, pause and resume, and reports.';

/**
 * The files that make a build output a Claude Code plugin and its own marketplace (CLAUDE-CODE.md
 * "Plugins"; checked with `claude plugin validate --strict --profile directory`):
 * - `.claude-plugin/plugin.json`: `name`, `version`, `author: {name}`, `license` (package.json), `description`
 *   ({@link PLUGIN_DESCRIPTION}).
 * - `.claude-plugin/marketplace.json`: `name`, `owner: {name}`, `metadata: {description,
 *   version}`, `plugins: [{name, source: "./", description,
 *   version}]`, so `claude plugin marketplace add <folder>` then `claude plugin install
 *   build-commands@build-commands` work.
 * - `README.md` (40+ words, lists every command and agent), `LICENSE` (MIT), `.claude-plugin/icon.png`
 *   (a square 512 px PNG; the directory profile looks there).
 * README, LICENSE and icon come from `templates/plugin/` of the definitions folder when present, else of
 * the package. `places` gives each command's invocation (command or skill layout, ./compile.ts commandPlaces).
 * Deterministic: no dates, keys in a fixed order.
 */
export function pluginFiles(set: DefinitionSet, places: ReadonlyMap<string, { invocation: string }>): GeneratedFile[] {
  const info = { ...packageInfo(), description: PLUGIN_DESCRIPTION };
  const asset = (name: string) => {
    const own = path.join(set.src, 'templates', 'plugin', name);
    // a link there is read only when it stays inside the definitions folder (src/util/safe-path.ts)
    return existsSync(own) ? readWithin(set.src, own) : readFileSync(path.join(packageRoot(), 'templates', 'plugin', name));
  };
  const json = (value: unknown) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
  const plugin = {
    name: PLUGIN_NAME,
    version: info.version,
    description: info.description,
    author: { name: info.author },
    license: info.license,
  };
  const marketplace = {
    name: PLUGIN_NAME,
    owner: { name: info.author },
    metadata: { description: info.description, version: info.version },
    plugins: [{ name: PLUGIN_NAME, source: './', description: info.description, version: info.version }],
  };
  const hb = Handlebars.create();
  const render = (name: string, context: Record<string, unknown>) =>
    Buffer.from(hb.compile(asset(name).toString('utf8'), { noEscape: true, strict: true })(context).replace(/\r\n?/g, '\n'), 'utf8');
  const readme = render('README.md.hbs', {
    name: PLUGIN_NAME,
    description: info.description,
    version: info.version,
    license: info.license,
    commands: set.commands.map((c) => ({ invocation: places.get(c.name)?.invocation ?? `/${PLUGIN_NAME}:${c.name}`, description: c.data.description })),
    agents: set.agents.map((a) => ({ ref: agentRef('plugin', a.name), description: a.data.description })),
  });
  const files: GeneratedFile[] = [
    { path: '.claude-plugin/plugin.json', content: json(plugin) },
    { path: '.claude-plugin/marketplace.json', content: json(marketplace) },
    { path: '.claude-plugin/icon.png', content: asset('icon.png') },
    { path: 'README.md', content: readme },
  ];
  if (info.license === 'MIT') files.push({ path: 'LICENSE', content: render('LICENSE.hbs', { author: info.author }) });
  return files;
}
