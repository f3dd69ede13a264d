/**
 * runsWithoutApproval: the model of which `` !`cmd` `` lines Claude Code runs with no pre-approval. Every row was
 * typed in the real client (2.1.329; the first block also on 2.1.197) as a `!` line of a command without
 * `allowed-tools`, and ran or aborted as listed (see READ_ONLY_PROGRAMS in src/definitions/claude-facts.ts).
 */
import { describe, expect, it } from 'vitest';
import { runsWithoutApproval } from '../../src/definitions/permissions.ts';

const RAN = [
  'echo hi', 'date +%Y', 'ls -la | wc -l', 'cat package.json 2>/dev/null || echo "{}"', 'git status --short', 'git log --oneline | head -2',
  "git for-each-ref --count=3 --sort=-committerdate refs/heads/ --format='%(refname:short)'", 'git branch --merged main 2>/dev/null || echo none',
  'find . -name "*.md" -type f', 'grep -r hello .', 'node --version', 'test -f README.md && echo yes', 'echo $HOME', 'git tag -l',
  // 2.1.329
  'git describe --tags --abbrev=0 2>/dev/null || echo none', 'git tag --sort=-version:refname | head -5', 'git stash list', 'git diff --cached --stat',
  'sed -n 1p README.md', 'tr a-z A-Z < README.md', 'du -sh .', 'git log --since="1 week ago" --oneline',
];
const ABORTED = ['npm --version', 'basename $(pwd)', 'touch x', 'mkdir -p y', 'gh pr list', 'env', 'jq --version', 'printenv PATH', 'uniq README.md', "awk '{print $1}' README.md", 'git bisect log 2>/dev/null || echo none', 'git config --list', 'echo "$(date)"', 'npx --version', "git log @{u}.. --oneline 2>/dev/null | wc -l | tr -d ' '"];

describe('runsWithoutApproval (what Claude Code runs in `!` lines unapproved)', () => {
  it('the lines the client ran', () => {
    for (const c of RAN) expect(runsWithoutApproval(c), c).toBe(true);
  });
  it('the lines it aborted for want of approval, and writes it was not shown (conservative)', () => {
    for (const c of [...ABORTED, 'git branch foo', 'git tag -d v1', 'git stash pop', 'sed -i s/a/b/ f', 'echo x > f', 'find . -delete']) expect(runsWithoutApproval(c), c).toBe(false);
  });
});
