/**
 * A studio post is live on EVERY app instance sharing the database, without a rebuild or a restart:
 * two built servers on one database (the e2e server and a second instance of the same build), the
 * post published, edited, renamed, unpublished and scheduled through the studio's workflows — and
 * each change seen by both within 2 seconds (the design gives zero: every request reads the content
 * version, docs/decisions/0038-studio-posts.md). A scheduled post appears at its time with no write
 * and no sweeper. Cached pages (the home page, the post) never show a superseded edit.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { posts, users } from '../../db/schema/index.ts';
import { loadScriptEnv } from '../../scripts/env.ts';
import { scriptApp } from '../../scripts/lib/app.ts';
import { ROOT, startBuiltServer, type BuiltServer } from '../../scripts/lib/serve-built.ts';
import type { SessionUser } from '../../src/server/auth/index.ts';
import {
  createStudioPost,
  publishStudioPost,
  saveStudioDraft,
  unpublishStudioPost,
  uploadStudioImage,
  type App,
} from '../../src/server/flows/index.ts';
import { baseURL, e2eDb } from './helpers/browser.ts';
import { e2eCreator, uniqueTag } from './helpers/fixtures.ts';

const LIVE_WITHIN_MS = 2_000;
const FILE_SLUGS = new Set(readdirSync(join(ROOT, 'src/content/posts')).filter((f) => f.endsWith('.mdx')).map((f) => f.slice(0, -4)));

let second: BuiltServer;
let app: App;
let user: SessionUser;

beforeAll(async () => {
  second = await startBuiltServer({ distDir: inject('distDir'), databaseUrl: inject('databaseUrl'), setupDatabase: false, env: { SWEEP_INTERVAL_MS: '0' } });
  const db = await e2eDb();
  app = scriptApp(db, loadScriptEnv());
  const creator = await e2eCreator();
  const row = await db.select().from(users).where(eq(users.email, creator.email)).get();
  user = { id: row!.id, email: row!.email, role: row!.role, creatorId: row!.creatorId };
});
afterAll(async () => {
  await second?.stop();
});

const instances = () => [baseURL(), second.baseURL];

async function get(base: string, path: string): Promise<{ status: number; location: string | null; html: string }> {
  const res = await fetch(base + path, { redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), html: await res.text() };
}

/** Polls both instances until `seen` holds on each; returns how long the slower one took. */
async function seenEverywhere(path: string, seen: (r: Awaited<ReturnType<typeof get>>) => boolean, since = Date.now()): Promise<number> {
  const took = await Promise.all(
    instances().map(async (base) => {
      for (;;) {
        if (seen(await get(base, path))) return Date.now() - since;
        if (Date.now() - since > LIVE_WITHIN_MS * 5) return Infinity;
        await new Promise((r) => setTimeout(r, 50));
      }
    }),
  );
  return Math.max(...took);
}

async function draft(id: number, fields: Record<string, unknown>): Promise<void> {
  const post = await app.db.select({ draftVersion: posts.draftVersion }).from(posts).where(eq(posts.id, id)).get();
  const saved = await saveStudioDraft(app, user, id, { fields, draftVersion: post!.draftVersion, fileSlugs: FILE_SLUGS });
  if (!saved.ok) throw new Error(`${saved.message} ${JSON.stringify('problems' in saved ? saved.problems : '')}`);
}

describe('a studio post on two instances, never restarted', () => {
  it('publish, edit, rename and unpublish are seen by both within 2 s; the cached home page follows', async () => {
    const tag = uniqueTag();
    const slug = `live-${tag}`;
    const title = `Live on every instance ${tag}`;
    // Both instances render (and cache) the home page and the missing post first.
    for (const base of instances()) {
      expect((await get(base, `/posts/${slug}`)).status).toBe(404);
      expect((await get(base, '/')).html).not.toContain(title);
    }

    const created = await createStudioPost(app, user);
    if (!created.ok) throw new Error(created.message);
    const png = await sharp({ create: { width: 1200, height: 1500, channels: 3, background: '#c9b79c' } }).png().toBuffer();
    const cover = await uploadStudioImage(app, user, created.id, new Uint8Array(png));
    if (!cover.ok) throw new Error(cover.message);
    const fields = {
      title,
      slug,
      summary: 'A post written in the studio, live at once on every instance.',
      kind: 'look',
      tags: 'live, studio',
      heroMediaId: cover.media.id,
      heroAlt: 'A sand-coloured backdrop',
      body: 'First words of the post.\n\n<ProductCard product="merino-crewneck" />\n',
    };
    await draft(created.id, fields);
    const published = await publishStudioPost(app, user, created.id, { fileSlugs: FILE_SLUGS });
    expect(published.ok).toBe(true);
    expect(await seenEverywhere(`/posts/${slug}`, (r) => r.status === 200 && r.html.includes(title))).toBeLessThanOrEqual(LIVE_WITHIN_MS);
    expect(await seenEverywhere('/', (r) => r.html.includes(title))).toBeLessThanOrEqual(LIVE_WITHIN_MS);

    // An edit, published: the very next request on either instance shows it, never the old words.
    await draft(created.id, { ...fields, body: 'Second, edited words.\n\n<ProductCard product="merino-crewneck" />\n' });
    expect((await publishStudioPost(app, user, created.id, { fileSlugs: FILE_SLUGS })).ok).toBe(true);
    for (const base of instances()) {
      const r = await get(base, `/posts/${slug}`);
      expect(r.html).toContain('Second, edited words.');
      expect(r.html).not.toContain('First words of the post.');
    }

    // Renamed: the new address serves it, the old one redirects there — on both.
    const renamed = `${slug}-renamed`;
    await draft(created.id, { ...fields, slug: renamed, body: 'Second, edited words.\n\n<ProductCard product="merino-crewneck" />\n' });
    expect((await publishStudioPost(app, user, created.id, { fileSlugs: FILE_SLUGS })).ok).toBe(true);
    expect(await seenEverywhere(`/posts/${renamed}`, (r) => r.status === 200)).toBeLessThanOrEqual(LIVE_WITHIN_MS);
    expect(await seenEverywhere(`/posts/${slug}`, (r) => r.status === 301 && r.location === `/posts/${renamed}`)).toBeLessThanOrEqual(LIVE_WITHIN_MS);

    // Unpublished: gone from both, and from the cached home page.
    expect((await unpublishStudioPost(app, user, created.id)).ok).toBe(true);
    expect(await seenEverywhere(`/posts/${renamed}`, (r) => r.status === 404)).toBeLessThanOrEqual(LIVE_WITHIN_MS);
    expect(await seenEverywhere('/', (r) => !r.html.includes(title))).toBeLessThanOrEqual(LIVE_WITHIN_MS);
  });

  it('a scheduled post appears on both at its time, with no write and no sweeper', async () => {
    const tag = uniqueTag();
    const slug = `scheduled-${tag}`;
    const created = await createStudioPost(app, user);
    if (!created.ok) throw new Error(created.message);
    const png = await sharp({ create: { width: 800, height: 1000, channels: 3, background: '#7a8c6e' } }).png().toBuffer();
    const cover = await uploadStudioImage(app, user, created.id, new Uint8Array(png));
    if (!cover.ok) throw new Error(cover.message);
    await draft(created.id, {
      title: `Scheduled ${tag}`,
      slug,
      summary: 'A post that goes live by itself at the time it was given.',
      kind: 'guide',
      tags: '',
      heroMediaId: cover.media.id,
      heroAlt: 'A sage-green backdrop',
      body: 'Here at last.\n',
    });
    const at = Date.now() + 3_000;
    const scheduled = await publishStudioPost(app, user, created.id, { at, fileSlugs: FILE_SLUGS });
    expect(scheduled.ok && scheduled.scheduled).toBe(true);
    for (const base of instances()) {
      expect((await get(base, `/posts/${slug}`)).status).toBe(404);
      expect((await get(base, '/')).html).not.toContain(`Scheduled ${tag}`);
    }
    const wait = at - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    expect(await seenEverywhere(`/posts/${slug}`, (r) => r.status === 200 && r.html.includes('Here at last.'), at)).toBeLessThanOrEqual(LIVE_WITHIN_MS);
    expect(await seenEverywhere('/', (r) => r.html.includes(`Scheduled ${tag}`), at)).toBeLessThanOrEqual(LIVE_WITHIN_MS);
  });
});
