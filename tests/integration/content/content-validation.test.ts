/**
 * The content collections fail the build with a message naming the file and the field
 * before anything is served. Runs `astro sync` — the same validation the build does — on a scratch project that
 * uses the real src/content.config.ts.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');

function scratchProject(post: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'lookbook-content-'));
  mkdirSync(join(dir, 'src/content/posts'), { recursive: true });
  mkdirSync(join(dir, 'src/content/creators'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  cpSync(join(ROOT, 'src/content.config.ts'), join(dir, 'src/content.config.ts'));
  writeFileSync(
    join(dir, 'astro.config.mjs'),
    "import { defineConfig } from 'astro/config';\nimport mdx from '@astrojs/mdx';\nexport default defineConfig({ integrations: [mdx()] });\n",
  );
  writeFileSync(
    join(dir, 'src/content/creators/ada-test.json'),
    JSON.stringify({ handle: 'ada-test', name: 'Ada Test', bio: 'A creator used by the content validation test.', avatar: '/images/creators/ada.svg' }),
  );
  writeFileSync(join(dir, 'src/content/posts/bad-post.mdx'), post);
  return dir;
}

function sync(dir: string) {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/astro/bin/astro.mjs'), 'sync'], {
    cwd: dir,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  // Strip colour codes in case the environment forces them (CI sets CI=true).
  return { status: r.status, out: `${r.stdout}\n${r.stderr}`.replace(/\x1b\[[0-9;]*m/g, "") };
}

const post = (fm: Record<string, string>) =>
  `---\n${Object.entries({
    title: 'A post title',
    summary: 'A summary long enough for the schema to accept.',
    creator: 'ada-test',
    kind: 'look',
    published: '2026-10-01',
    ...fm,
  })
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n')}\nhero:\n  src: /images/posts/x.svg\n  alt: A flat-lay of a coat and boots\n---\n\nBody.\n`;

describe('content collections', () => {
  it('accepts a valid post', () => {
    const r = sync(scratchProject(post({})));
    expect(r.out).not.toContain('InvalidContentEntryDataError');
    expect(r.status).toBe(0);
  });
  it('fails on an unknown creator, naming the file and the field', () => {
    const r = sync(scratchProject(post({ creator: 'nobody-here' })));
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('bad-post');
    expect(r.out).toMatch(/creator: no such creator/);
  });
  it('fails on a malformed field, naming the file and the field', () => {
    const r = sync(scratchProject(post({ kind: 'vlog' })));
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('bad-post');
    expect(r.out).toMatch(/kind/);
  });
});
