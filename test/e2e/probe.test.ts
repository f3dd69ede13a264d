/**
 * Probe: the facts the whole end-to-end technique and the compiler rely on, checked on the Claude Code
 * version under test with hand-written fixtures (test/e2e/fixtures/probe*). When a new Claude Code version
 * changes one of them, this file says which (run it with CLAUDE_CODE_E2E_VERSION, see docs/e2e.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, systemText, type StandIn } from './stand-in/server.ts';
import { makeSandbox, runClaude } from './stand-in/run-claude.ts';
import { agentTypes, allText, bashOutcomes, commandTurn, describeOutcomes, isSubagentRequest, skillList, toolResult, turnRequests } from './lib/inspect.ts';
import { agent, bash, batchScript } from './lib/script.ts';
import { installPlugin } from './lib/plugin.ts';
import { missingArgumentAsWritten } from './lib/args.ts';
import { AGENT_TOOL_FIELDS, BUILTIN_AGENTS, MODEL_ALIASES, TOOL_NAMES } from '../../src/definitions/claude-facts.ts';

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), 'fixtures');

describe('probe: the real Claude Code CLI with a hand-written .claude/', { timeout: 120_000 }, () => {
  let server: StandIn;
  let box: ReturnType<typeof makeSandbox>;
  beforeAll(async () => {
    box = makeSandbox();
    server = await startStandIn();
    fs.cpSync(path.join(FIXTURES, 'probe/.claude'), path.join(box.project, '.claude'), { recursive: true });
  });
  afterAll(async () => {
    await server?.close();
    box?.cleanup();
  });

  it('substitutes $0 as the first argument, $1 the second, and runs pre-approved Bash from the command and its subagent', async () => {
    server.requests.length = 0;
    server.setScript(
      batchScript(
        [[bash('node .claude/scripts/helper.mjs hello first'), bash('node .claude/scripts/helper.mjs fail x'), agent('probe-agent', 'run it'), agent('no-such-agent', 'x')]],
        (system) => (system.includes('PROBE-AGENT-SYSTEM-PROMPT') ? [[bash('node .claude/scripts/helper.mjs from-agent')]] : []),
      ),
    );
    const run = await runClaude('/argt first "second arg" third', { cwd: box.project, home: box.home, baseUrl: server.url });
    expect(run.exitCode, run.stderr).toBe(0);
    const turns = turnRequests(server.requests);
    const main = turns.filter((b) => !isSubagentRequest(b));
    const cmd = commandTurn(main[0]!);
    expect(cmd?.name).toBe('/argt');
    expect(cmd?.args).toBe('first "second arg" third');
    expect(cmd?.body).toContain('ARG0=[first] ARG1=[second arg] ARG2=[third] RAW=[first "second arg" third] IDX1=[second arg]');

    // Agent types: ours next to the built-ins; the subagent gets its body as system prompt and its own tools.
    const types = agentTypes(main[0]!);
    expect(types.get('probe-agent')).toMatch(/^Probe agent: calls the helper once and reports/);
    expect([...types.keys()]).toEqual(expect.arrayContaining(['general-purpose', 'Explore', 'Plan']));
    expect(skillList(main[0]!).get('argt')).toBe('Probe: shows how arguments are substituted');
    const sub = turns.filter(isSubagentRequest);
    expect(sub.length).toBeGreaterThan(0);
    expect(systemText(sub[0]!)).toContain('PROBE-AGENT-SYSTEM-PROMPT');
    expect(sub[0]!.tools?.map((t) => t.name).sort()).toEqual(['Bash', 'Read']);

    const outcomes = bashOutcomes(server.requests);
    const summary = describeOutcomes(outcomes);
    // The subagent runs while the main session's other calls run, so compare without order.
    expect(outcomes.map((o) => [o.command, o.kind, o.exitCode, o.fromSubagent]).sort(), summary).toEqual([
      ['node .claude/scripts/helper.mjs fail x', 'exit', 3, false],
      ['node .claude/scripts/helper.mjs from-agent', 'ok', 0, true],
      ['node .claude/scripts/helper.mjs hello first', 'ok', 0, false],
    ]);
    expect(fs.readFileSync(path.join(box.project, 'helper.log'), 'utf8').split('\n').sort()).toEqual(['', 'helper fail x', 'helper from-agent', 'helper hello first']);

    // An unknown agent type is refused with the list of available ones.
    const agentCalls = main.flatMap((b) => b.messages).flatMap((m) => (typeof m.content === 'string' ? [] : m.content)).filter((b) => b.type === 'tool_use' && b.name === 'Agent');
    const refused = toolResult(server.requests, agentCalls.find((b) => (b.input as { subagent_type: string }).subagent_type === 'no-such-agent')!.id!);
    expect(refused?.is_error).toBe(true);
    expect(JSON.stringify(refused?.content)).toContain("Agent type 'no-such-agent' not found. Available agents:");
  });

  it('offers only tools, built-in agents, Agent fields and model aliases that src/definitions/claude-facts.ts knows', async () => {
    server.requests.length = 0;
    server.setScript(batchScript([]));
    const run = await runClaude('/ns:sub x', { cwd: box.project, home: box.home, baseUrl: server.url });
    expect(run.exitCode, run.stderr).toBe(0);
    const first = turnRequests(server.requests)[0]!;
    const known = new Set<string>([...TOOL_NAMES, 'DeferredToolPlaceholder']);
    const offered = first.tools!.map((t) => t.name);
    // Deferred tools are listed by name in a system message (seen on 2.1.329).
    const deferred = /deferred tools are now available via ToolSearch[^\n]*\n([\s\S]*?)\n\n/.exec(allText(first))?.[1]?.split('\n') ?? [];
    // 2.1.329 lists deferred tools (behind ToolSearch) in a system message; 2.1.197 offers all tools directly.
    if (offered.includes('ToolSearch')) expect(deferred.length).toBeGreaterThan(0);
    expect([...offered, ...deferred].filter((t) => !known.has(t)), 'tools Claude Code offers that TOOL_NAMES lacks').toEqual([]);
    const builtins = [...agentTypes(first).keys()].filter((n) => n !== 'probe-agent' && n !== 'napper');
    expect(builtins.filter((n) => !(BUILTIN_AGENTS as readonly string[]).includes(n)), 'built-in agents BUILTIN_AGENTS lacks').toEqual([]);
    const agentTool = first.tools!.find((t) => t.name === 'Agent')!.input_schema as { properties: Record<string, { enum?: string[] }> };
    expect(Object.keys(agentTool.properties).filter((f) => !(AGENT_TOOL_FIELDS as readonly string[]).includes(f)), 'Agent fields AGENT_TOOL_FIELDS lacks').toEqual([]);
    expect((agentTool.properties.model?.enum ?? []).filter((m) => !(MODEL_ALIASES as readonly string[]).includes(m)), 'Agent model values MODEL_ALIASES lacks').toEqual([]);
  });

  it('a missing `$N` / `$ARGUMENTS[N]` is left as written or emptied, as MISSING_ARGUMENT_AS_WRITTEN records for this version', async () => {
    server.requests.length = 0;
    server.setScript(batchScript([]));
    const run = await runClaude('/argt onlyone', { cwd: box.project, home: box.home, baseUrl: server.url });
    expect(run.exitCode, run.stderr).toBe(0);
    const cmd = commandTurn(turnRequests(server.requests)[0]!);
    const asWritten = missingArgumentAsWritten();
    expect(cmd?.body).toContain(asWritten ? 'ARG0=[onlyone] ARG1=[$1] ARG2=[$2] RAW=[onlyone] IDX1=[$ARGUMENTS[1]]' : 'ARG0=[onlyone] ARG1=[] ARG2=[] RAW=[onlyone] IDX1=[]');
  });

  it('folders join with `:` in command names', async () => {
    server.requests.length = 0;
    server.setScript(batchScript([]));
    const run = await runClaude('/ns:sub a b', { cwd: box.project, home: box.home, baseUrl: server.url });
    expect(run.exitCode, run.stderr).toBe(0);
    const cmd = commandTurn(turnRequests(server.requests)[0]!);
    expect(cmd).toMatchObject({ name: '/ns:sub', args: 'a b' });
    expect(cmd?.body).toContain('NAMESPACED-BODY args=[a b]');
  });

  it('denies a Bash call that no allowed-tools rule pre-approves, in the command and in its subagent (negative control)', async () => {
    server.requests.length = 0;
    server.setScript(
      batchScript([[bash('node .claude/scripts/helper.mjs hello'), agent('probe-agent', 'run it')]], (system) =>
        system.includes('PROBE-AGENT-SYSTEM-PROMPT') ? [[bash('node .claude/scripts/helper.mjs from-agent')]] : [],
      ),
    );
    const run = await runClaude('/denied', { cwd: box.project, home: box.home, baseUrl: server.url });
    expect(run.exitCode, run.stderr).toBe(0);
    const outcomes = bashOutcomes(server.requests);
    expect(outcomes.map((o) => [o.kind, o.fromSubagent]).sort(), describeOutcomes(outcomes)).toEqual([
      ['denied', false],
      ['denied', true],
    ]);
    // Wording seen on 2.1.329 (main session: "This command requires approval"; subagent: "Permission to use
    // Bash has been denied"); other versions word it differently, so only the classification is asserted.
  });
});

describe('probe: a plugin installed from a local marketplace', { timeout: 120_000 }, () => {
  let server: StandIn;
  let box: ReturnType<typeof makeSandbox>;
  let pluginDir: string;
  beforeAll(async () => {
    box = makeSandbox();
    pluginDir = path.join(box.root, 'plugin');
    server = await startStandIn();
    fs.cpSync(path.join(FIXTURES, 'probe-plugin'), pluginDir, { recursive: true });
  });
  afterAll(async () => {
    await server?.close();
    box?.cleanup();
  });

  it('installs with a fresh HOME, namespaces commands and agents, and substitutes ${CLAUDE_PLUGIN_ROOT} in bodies and allowed-tools', async () => {
    const inst = await installPlugin(pluginDir, box.home, box.project);
    expect(inst.add.exitCode, inst.add.stdout + inst.add.stderr).toBe(0);
    expect(inst.install.exitCode, inst.install.stdout + inst.install.stderr).toBe(0);

    // The helper path as Claude Code rendered `${CLAUDE_PLUGIN_ROOT}/scripts/helper.mjs` in the prompt the
    // model received (2.1.329: `ROOT/scripts`; 2.1.197: `ROOT//scripts`, the root with a trailing slash).
    const rendered = (text: string) => /node (\S+\/scripts\/helper\.mjs)/.exec(text)?.[1] ?? 'missing-helper-path';
    server.setScript((body) => {
      if ((body.tools?.length ?? 0) === 0) return undefined;
      const n = body.messages.filter((m) => m.role === 'assistant').length;
      if (isSubagentRequest(body)) return n === 0 ? { blocks: [bash(`node ${rendered(systemText(body))} from-agent`)] } : undefined;
      const cmd = commandTurn(body);
      return n === 0 && cmd ? { blocks: [bash(`node ${rendered(cmd.body)} hello`), agent('pk:coord', 'run it'), agent('coord', 'bare name')] } : undefined;
    });
    const run = await runClaude('/pk:runh one two', { cwd: box.project, home: box.home, baseUrl: server.url });
    expect(run.exitCode, run.stderr).toBe(0);
    const turns = turnRequests(server.requests);
    const main = turns.filter((b) => !isSubagentRequest(b));
    const cmd = commandTurn(main[0]!);
    expect(cmd?.name).toBe('/pk:runh');
    const helperPath = rendered(cmd!.body);
    expect(helperPath.replace(/\/\/+/g, '/')).toBe(`${pluginDir}/scripts/helper.mjs`);
    const helper = `node ${helperPath}`;
    expect(cmd?.body).toContain(`PLUGIN-CMD ARG0=[one] RAW=[one two] Run \`${helper} hello one\``);
    expect(agentTypes(main[0]!).has('pk:coord')).toBe(true);
    expect(agentTypes(main[0]!).has('coord')).toBe(false);
    expect(skillList(main[0]!).has('pk:runh')).toBe(true);
    const sub = turns.filter(isSubagentRequest);
    expect(systemText(sub[0]!)).toContain(`PROBE-AGENT-SYSTEM-PROMPT plugin agent. Run \`${helper} from-agent\``);

    const outcomes = bashOutcomes(server.requests);
    expect(outcomes.map((o) => [o.command, o.kind, o.fromSubagent]).sort(), describeOutcomes(outcomes)).toEqual([
      [`${helper} from-agent`, 'ok', true],
      [`${helper} hello`, 'ok', false],
    ]);
    const text = JSON.stringify(turns.map((b) => b.messages));
    expect(text).toContain("Agent type 'coord' not found. Available agents:");
  });
});
