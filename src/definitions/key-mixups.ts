import { ownValue } from '../util/own.ts';

/**
 * Frontmatter keys that belong to another kind of file, with the key this kind reads for the same thing: an
 * agent lists its tools in `tools`, a command or skill in `allowed-tools` (the keys each kind reads are in
 * claude-facts.ts, proven in the client by test/e2e), and people copy one into the other.
 */
const MIXUPS: Readonly<Record<'command' | 'agent' | 'skill', Readonly<Record<string, string>>>> = {
  agent: { 'allowed-tools': 'tools', allowed_tools: 'tools', allowedTools: 'tools', 'disallowed-tools': 'disallowedTools' },
  command: { tools: 'allowed-tools', allowedTools: 'allowed-tools' },
  skill: { tools: 'allowed-tools', allowedTools: 'allowed-tools' },
};

/** The key a `kind` file reads for `key` written as in another kind of file (`tools` in a command → `allowed-tools`), or undefined. */
export function meantKey(kind: 'command' | 'agent' | 'skill', key: string): string | undefined {
  return ownValue(MIXUPS[kind], key);
}
