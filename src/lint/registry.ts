import fileRead from './rules/file-read.ts';
import frontmatterParse from './rules/frontmatter-parse.ts';
import frontmatterStart from './rules/frontmatter-start.ts';
import frontmatterRecovery from './rules/frontmatter-recovery.ts';
import unknownKey from './rules/unknown-key.ts';
import valueType from './rules/value-type.ts';
import valueCoercion from './rules/value-coercion.ts';
import agentToolsEmpty from './rules/agent-tools-empty.ts';
import descriptionMissing from './rules/description-missing.ts';
import descriptionLength from './rules/description-length.ts';
import agentRequired from './rules/agent-required.ts';
import agentName from './rules/agent-name.ts';
import unknownTool from './rules/unknown-tool.ts';
import toolAlias from './rules/tool-alias.ts';
import retiredTool from './rules/retired-tool.ts';
import permissionRule from './rules/permission-rule.ts';
import unknownModel from './rules/unknown-model.ts';
import unknownAgent from './rules/unknown-agent.ts';
import duplicateName from './rules/duplicate-name.ts';
import builtinCommand from './rules/builtin-command.ts';
import shellPreapproval from './rules/shell-preapproval.ts';
import interpolatedShell from './rules/interpolated-shell.ts';
import bashCoverage from './rules/bash-coverage.ts';
import argumentIndex from './rules/argument-index.ts';
import argumentSubstitution from './rules/argument-substitution.ts';
import unresolvedPlaceholder from './rules/unresolved-placeholder.ts';
import brokenLink from './rules/broken-link.ts';
import tokenBudget from './rules/token-budget.ts';
import pluginManifest from './rules/plugin-manifest.ts';
import pluginLayout from './rules/plugin-layout.ts';
import pluginCatalog from './rules/plugin-catalog.ts';
import pluginHooks from './rules/plugin-hooks.ts';
import skillName from './rules/skill-name.ts';
import skillLayout from './rules/skill-layout.ts';
import modelInvocation from './rules/model-invocation.ts';
import type { Rule } from './types.ts';

/**
 * Every lint rule, in the order the docs list them. One file per rule in `src/lint/rules/`, named by its id;
 * the meta-test (test/lint/rules.test.ts) checks that this list, the files and docs/rules/README.md agree.
 */
export const RULES: readonly Rule[] = [
  fileRead,
  frontmatterParse,
  frontmatterStart,
  frontmatterRecovery,
  unknownKey,
  valueType,
  valueCoercion,
  agentToolsEmpty,
  descriptionMissing,
  descriptionLength,
  agentRequired,
  agentName,
  unknownTool,
  toolAlias,
  retiredTool,
  permissionRule,
  unknownModel,
  unknownAgent,
  duplicateName,
  builtinCommand,
  shellPreapproval,
  interpolatedShell,
  bashCoverage,
  argumentIndex,
  argumentSubstitution,
  unresolvedPlaceholder,
  brokenLink,
  tokenBudget,
  pluginManifest,
  pluginLayout,
  pluginCatalog,
  pluginHooks,
  skillName,
  skillLayout,
  modelInvocation,
] as Rule[];

/** The rule with this id, or undefined. */
export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.meta.id === id);
}
