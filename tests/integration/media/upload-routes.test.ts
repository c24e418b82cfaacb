/**
 * The upload and rendition routes through Astro's Container API, on a real database: the JSON an
 * upload answers, its statuses, who owns it, and the headers a rendition is served with. Session
 * handling and Astro's origin check (CSRF) are the middleware's and the e2e suite's to test: here
 * `locals.user` is given directly.
 */
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import sharp from 'sharp';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { media, users } from '../../../db/schema/index.ts';
import { makeCreator } from '../../../db/factories/factories.ts';
import type { Db } from '../../../src/server/db.ts';
import type { SessionUser } from '../../../src/server/auth/index.ts';
import { readUploadForm } from '../../../src/server/media/index.ts';
import { createTestDb } from '../../helpers/db.ts';

// The routes take the process's database from src/lib/runtime.ts; here it is this file's test db.
const holder = vi.hoisted(() => ({ db: undefined as unknown }));
vi.mock('../../../src/lib/runtime.ts', () => ({ getDb: async () => holder.db }));

const Upload = await import('../../../src/pages/studio/media.ts');
const Rendition = await import('../../../src/pages/media/[id]/[file].ts');
const ByName = await import('../../../src/pages/media/[id].ts');

const ORIGIN = 'http://127.0.0.1:4321';
const T0 = Date.UTC(2026, 11, 2, 9);

let db: Db;
let container: AstroContainer;
let creator: SessionUser;
let admin: SessionUser;

beforeAll(async () => {
  db = await createTestDb();
  holder.db = db;
  container = await AstroContainer.create();
  const c = await makeCreator(db, { handle: 'dora' });
  const cu = await db.insert(users).values({ email: 'dora@creators.test', passwordHash: 'x', role: 'creator', creatorId: c.id, createdAt: T0 }).returning().get();
  const au = await db.insert(users).values({ email: 'boss@lookbook.test', passwordHash: 'x', role: 'admin', creatorId: null, createdAt: T0 }).returning().get();
  creator = { id: cu.id, email: cu.email, role: 'creator', creatorId: c.id };
  admin = { id: au.id, email: au.email, role: 'admin', creatorId: null };
});

async function png(width = 300, height = 200) {
  return sharp({ create: { width, height, channels: 3, background: '#3a6' } }).png().toBuffer();
}

function uploadRequest(file: Blob | null, fields: Record<string, string> = {}) {
  const form = new FormData();
  if (file) form.set('file', file, (file as File).name ?? 'upload');
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return new Request(`${ORIGIN}/studio/media`, { method: 'POST', headers: { Origin: ORIGIN }, body: form });
}

async function post(request: Request, user: SessionUser | null) {
  const res = await container.renderToResponse(Upload as never, { routeType: 'endpoint', request, locals: { user, session: null } as App.Locals });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { media?: Record<string, unknown>; message?: string } };
}

async function get(id: string, file: string) {
  return container.renderToResponse(Rendition as never, { routeType: 'endpoint', request: new Request(`${ORIGIN}/media/${id}/${file}`), params: { id, file } });
}

describe('POST /studio/media', () => {
  it("stores a creator's upload as theirs and answers what the editor needs", async () => {
    const { status, body } = await post(uploadRequest(new File([await png()], 'look.png', { type: 'image/png' }), { for: 'hero' }), creator);
    expect(status).toBe(201);
    const m = body.media!;
    const id = m.id as string;
    expect(body.ok).toBe(true);
    expect(m).toEqual({
      id,
      width: 300,
      height: 200,
      widths: [300],
      src: `/media/${id}/300.webp`,
      srcsetAvif: `/media/${id}/300.avif 300w`,
      srcsetWebp: `/media/${id}/300.webp 300w`,
      markdown: `![](/media/${id})`,
    });
    const row = await db.select().from(media).where(eq(media.id, id)).get();
    expect(row).toMatchObject({ ownerCreatorId: creator.creatorId, uploadedByUserId: creator.id });
  });

  it("stores an admin's upload as the shop's", async () => {
    const { status, body } = await post(uploadRequest(new File([await png()], 'banner.png')), admin);
    expect(status).toBe(201);
    const row = await db.select().from(media).where(eq(media.id, body.media!.id as string)).get();
    expect(row).toMatchObject({ ownerCreatorId: null, uploadedByUserId: admin.id });
  });

  it('sniffs the bytes: a PNG named .gif and sent as image/gif is a PNG', async () => {
    const { status, body } = await post(uploadRequest(new File([await png()], 'party.gif', { type: 'image/gif' })), creator);
    expect(status).toBe(201);
    const row = await db.select().from(media).where(eq(media.id, body.media!.id as string)).get();
    expect(row?.sourceFormat).toBe('png');
  });

  it('answers 415 for a text file named .jpg, 400 for no file or an empty one, 401 without a user', async () => {
    const text = await post(uploadRequest(new File(['not a photo'], 'photo.jpg', { type: 'image/jpeg' })), creator);
    expect(text).toEqual({ status: 415, body: { ok: false, message: "This file isn't an image we can use. Upload a JPEG, PNG, WebP, AVIF or GIF." } });
    const none = await post(uploadRequest(null, { for: 'inline' }), creator);
    expect(none).toEqual({ status: 400, body: { ok: false, message: 'Choose an image to upload.' } });
    const empty = await post(uploadRequest(new File([], 'empty.png')), creator);
    expect(empty.status).toBe(400);
    expect(empty.body.message).toMatch(/empty/);
    const anonymous = await post(uploadRequest(new File([await png()], 'a.png')), null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.ok).toBe(false);
  });

  it('answers 413 from the Content-Length alone, before reading the body', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const request = new Request(`${ORIGIN}/studio/media`, {
      method: 'POST',
      headers: { Origin: ORIGIN, 'Content-Type': 'multipart/form-data; boundary=x', 'Content-Length': String(20 * 1024 * 1024) },
      body,
      duplex: 'half',
    } as RequestInit);
    const res = await post(request, creator);
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/larger than 15 MB/);
    expect(pulled).toBeLessThanOrEqual(1); // the stream's first pull may be eager; nothing more is read
  });
});

describe('readUploadForm', () => {
  it('stops reading a body without a Content-Length once it passes the limit', async () => {
    let sent = 0;
    const chunk = new Uint8Array(1024 * 1024);
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        controller.enqueue(chunk);
        if (sent > 100 * 1024 * 1024) controller.close();
      },
    });
    const request = new Request(`${ORIGIN}/studio/media`, { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=x' }, body, duplex: 'half' } as RequestInit);
    const form = await readUploadForm(request);
    expect(form.ok === false && form.problem).toBe('too_large');
    expect(sent).toBeLessThan(20 * 1024 * 1024);
  });

  it('reads the file and its purpose, defaulting to inline', async () => {
    const bytes = await png();
    const hero = await readUploadForm(uploadRequest(new File([bytes], 'x.png'), { for: 'hero' }));
    expect(hero.ok && hero.purpose).toBe('hero');
    expect(hero.ok && Buffer.from(hero.bytes).equals(bytes)).toBe(true);
    const other = await readUploadForm(uploadRequest(new File([bytes], 'x.png'), { for: 'wallpaper' }));
    expect(other.ok && other.purpose).toBe('inline');
    const notForm = await readUploadForm(new Request(`${ORIGIN}/studio/media`, { method: 'POST', headers: { 'Content-Type': 'image/png' }, body: bytes }));
    expect(notForm.ok === false && notForm.problem).toBe('no_file');
  });
});

describe('GET /media/[id]/[file]', () => {
  it('serves a rendition as an immutable image, and 404s anything else', async () => {
    const up = await post(uploadRequest(new File([await png(700, 350)], 'wide.png')), creator);
    const id = up.body.media!.id as string;
    const res = await get(id, '480.avif');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/avif');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(res.headers.get('content-length')).toBe(String(bytes.byteLength));
    const meta = await sharp(bytes).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({ format: 'heif', width: 480, height: 240 });
    expect((await get(id, '700.webp')).headers.get('content-type')).toBe('image/webp');

    for (const [badId, file] of [
      [id, '960.avif'], // not rendered: never enlarged
      [id, '480.jpeg'], // not stored
      [id, '480.png'],
      [id, '480.avif.html'],
      ['NoSuchMedia12345', '480.avif'],
      ['..', '480.avif'],
      ['short', '480.avif'],
    ] as const) {
      const r = await get(badId, file);
      expect(r.status, `${badId}/${file}`).toBe(404);
      expect(r.headers.get('cache-control')).toBe('no-store');
    }
  });
});

describe('GET /media/[id]', () => {
  it("redirects the Markdown's name of an upload to its middle WebP rendition, and 404s anything else", async () => {
    const up = await post(uploadRequest(new File([await png(1700, 850)], 'wide.png')), creator);
    const id = up.body.media!.id as string;
    const at = (mediaId: string) =>
      container.renderToResponse(ByName as never, { routeType: 'endpoint', request: new Request(`${ORIGIN}/media/${mediaId}`), params: { id: mediaId } });
    const res = await at(id);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/media/${id}/960.webp`);
    for (const bad of ['NoSuchMedia12345', '..', 'short']) {
      const r = await at(bad);
      expect(r.status, bad).toBe(404);
      expect(r.headers.get('cache-control')).toBe('no-store');
    }
  });
});
