// The line-width check: it names each source line wider than .prettierrc.json's printWidth by file and
// line, counts characters (not bytes), skips files git ignores, and passes a tree within the width.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SCRIPT = new URL('../../../scripts/lineWidth.mjs', import.meta.url).pathname;

/** A git checkout with these files (paths relative to it), and a width of 20. */
function checkout(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rnn-line-width-'));
  execFileSync('git', ['init', '-q'], { cwd: dir });
  writeFileSync(join(dir, '.prettierrc.json'), JSON.stringify({ printWidth: 20 }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function check(dir: string): { code: number | null; out: string } {
  const run = spawnSync(process.execPath, [SCRIPT], { cwd: dir, encoding: 'utf8' });
  return { code: run.status, out: run.stdout + run.stderr };
}

describe('scripts/lineWidth.mjs', () => {
  it('names every wider line by file and line, and fails', () => {
    const dir = checkout({
      'a.ts': 'const a = 1;\n// a comment far wider than twenty\n',
      'src/b.vue': '<template>\n  <p>{{ "a string wider than twenty" }}</p>\n</template>\n',
      'notes.md': 'prose is not source, however wide its lines are\n',
    });
    const { code, out } = check(dir);
    expect(code).toBe(1);
    expect(out).toContain('a.ts:2: 34 characters (width 20)');
    expect(out).toContain('src/b.vue:2: 43 characters (width 20)');
    expect(out).not.toContain('notes.md');
    expect(out).toContain('2 lines wider than 20 characters in 2 source files');
  });

  it('counts characters, as Prettier does, and leaves ignored files out', () => {
    const dir = checkout({
      'a.ts': `// ${'→'.repeat(17)}\n`, // 20 characters, 54 bytes
      '.gitignore': 'out/\n',
      'out/built.js': `${'x'.repeat(40)}\n`,
    });
    const { code, out } = check(dir);
    expect(out).toContain('every line of 1 source files within 20 characters');
    expect(code).toBe(0);
  });
});
