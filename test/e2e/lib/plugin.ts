/**
 * Installing a plugin folder the way a user does: `claude plugin marketplace add PATH` then
 * `claude plugin install NAME@MARKETPLACE`, into a fresh HOME (user scope). Seen on 2.1.329: both commands
 * make no API call and exit 0; a marketplace added from a local folder is used in place, so
 * `${CLAUDE_PLUGIN_ROOT}` becomes the plugin's folder inside it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runClaudeRaw, type ClaudeRun } from '../stand-in/run-claude.ts';

/** Names read from `.claude-plugin/plugin.json` and `.claude-plugin/marketplace.json` of a plugin folder. */
export function pluginNames(dir: string): { plugin: string; marketplace: string } {
  const plugin = JSON.parse(fs.readFileSync(path.join(dir, '.claude-plugin/plugin.json'), 'utf8')) as { name: string };
  const market = JSON.parse(fs.readFileSync(path.join(dir, '.claude-plugin/marketplace.json'), 'utf8')) as { name: string };
  return { plugin: plugin.name, marketplace: market.name };
}

/** Result of {@link installPlugin}: each step's run. */
export interface PluginInstall {
  add: ClaudeRun;
  install: ClaudeRun;
  plugin: string;
  marketplace: string;
}

/** Adds `dir` as a marketplace and installs its plugin for the user `home`. Never throws on a failed step. */
export async function installPlugin(dir: string, home: string, cwd: string): Promise<PluginInstall> {
  const { plugin, marketplace } = pluginNames(dir);
  const add = await runClaudeRaw(['plugin', 'marketplace', 'add', dir], { cwd, home, timeoutMs: 60_000 });
  const install = await runClaudeRaw(['plugin', 'install', `${plugin}@${marketplace}`], { cwd, home, timeoutMs: 60_000 });
  return { add, install, plugin, marketplace };
}

/** `claude plugin validate [FLAGS] DIR` with a fresh HOME. */
export function validatePlugin(dir: string, home: string, flags: string[]): Promise<ClaudeRun> {
  return runClaudeRaw(['plugin', 'validate', ...flags, dir], { cwd: dir, home, timeoutMs: 60_000 });
}
