/**
 * For benchmarks: publish a studio post that is a copy of a file post (same front matter, same
 * body, a generated cover image), through the studio's own workflows — so a studio post and a file
 * post can be measured side by side on the same content.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema/index.ts';
import type { App } from '../../src/server/flows/index.ts';
import { createStudioPost, publishStudioPost, saveStudioDraft, uploadStudioImage } from '../../src/server/flows/index.ts';
import { ROOT } from '../../scripts/lib/serve-built.ts';
import { scriptApp } from '../../scripts/lib/app.ts';
import { loadScriptEnv } from '../../scripts/env.ts';
import { openDb } from '../../src/server/db.ts';

/** The few front-matter keys file posts use, read without a YAML library (their shape is fixed). */
export function readFilePost(slug: string): { title: string; summary: string; kind: string; tags: string; heroAlt: string; body: string; creator: string } {
  const text = readFileSync(join(ROOT, 'src/content/posts', `${slug}.mdx`), 'utf8');
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!m) throw new Error(`${slug}.mdx has no front matter`);
  const fm = m[1]!;
  const get = (key: string) => {
    const v = new RegExp(`^\\s*${key}:\\s*(.*)$`, 'm').exec(fm)?.[1]?.trim() ?? '';
    return v.startsWith('"') ? (JSON.parse(v) as string) : v;
  };
  const tags = (/^tags:\s*\[(.*)\]$/m.exec(fm)?.[1] ?? '').split(',').map((t) => t.trim()).join(', ');
  return { title: get('title'), summary: get('summary'), kind: get('kind'), tags, heroAlt: get('alt'), body: m[2]!, creator: get('creator') };
}

/** Publishes the copy at `newSlug` as the file post's creator; returns its path. */
export async function publishStudioCopy(app: App, fileSlug: string, newSlug: string, fileSlugs: ReadonlySet<string>): Promise<string> {
  const src = readFilePost(fileSlug);
  const row = await app.db.select().from(users).where(eq(users.email, `${src.creator}@lookbook.test`)).get();
  if (!row) throw new Error(`no user for creator ${src.creator}`);
  const user = { id: row.id, email: row.email, role: row.role, creatorId: row.creatorId };
  const created = await createStudioPost(app, user);
  if (!created.ok) throw new Error(created.message);
  const png = await sharp({ create: { width: 1200, height: 1500, channels: 3, background: '#d9c6a4' } }).png().toBuffer();
  const up = await uploadStudioImage(app, user, created.id, new Uint8Array(png));
  if (!up.ok) throw new Error(up.message);
  const saved = await saveStudioDraft(app, user, created.id, {
    fields: { title: src.title, slug: newSlug, summary: src.summary, kind: src.kind, tags: src.tags, heroMediaId: up.media.id, heroAlt: src.heroAlt, body: src.body },
    draftVersion: 1,
    fileSlugs,
  });
  if (!saved.ok) throw new Error(`${saved.message} ${JSON.stringify('problems' in saved ? saved.problems : '')}`);
  const published = await publishStudioPost(app, user, created.id, { fileSlugs });
  if (!published.ok) throw new Error(published.message);
  return `/posts/${published.slug}`;
}

/** The studio copy of a file post (`/posts/<slug>` → `/posts/<slug>-studio`), published on the server's database. */
export async function publishCopy(databaseUrl: string, filePath: string): Promise<string> {
  const slug = decodeURIComponent(filePath.replace(/^\/posts\//, ''));
  const dir = join(ROOT, 'src/content/posts');
  const fileSlugs = new Set(readdirSync(dir).filter((f) => f.endsWith('.mdx')).map((f) => f.slice(0, -4)));
  if (!fileSlugs.has(slug)) throw new Error(`--studio copies a file post: ${filePath} is not one of src/content/posts/*.mdx`);
  const db = await openDb({ url: databaseUrl });
  try {
    return await publishStudioCopy(scriptApp(db, loadScriptEnv()), slug, `${slug}-studio`, fileSlugs);
  } finally {
    db.$client.close();
  }
}
