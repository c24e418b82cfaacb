/**
 * The studio's workflows on a real migrated database: drafts, publish / schedule / unpublish,
 * revisions, slugs and redirects, previews, profiles — and ownership: creator A cannot read, edit,
 * preview, publish or upload into creator B's posts through any workflow.
 */
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { cardDaily, users } from '../../../db/schema/index.ts';
import { postTotals } from '../../../src/server/commissions/index.ts';
import { makeCreator, makeProduct, makeVariant } from '../../../db/factories/factories.ts';
import type { SessionUser } from '../../../src/server/auth/index.ts';
import {
  formerSlugs,
  formerSlugsOf,
  getContentVersion,
  getStudioPost,
  listRevisions,
  nextStudioBoundary,
  postIdForSlug,
  readerStudioPosts,
  revisionDoc,
} from '../../../src/server/content/index.ts';
import {
  cancelStudioSchedule,
  createStudioPost,
  loadStudioPreview,
  publishStudioPost,
  restoreStudioRevision,
  runStudioPostAction,
  saveCreatorProfile,
  saveStudioDraft,
  studioPreviewLink,
  unpublishStudioPost,
  uploadStudioImage,
  type App,
} from '../../../src/server/flows/index.ts';
import { saveUpload } from '../../../src/server/media/index.ts';
import { createTestDb } from '../../helpers/db.ts';
import { testApp } from '../../helpers/app.ts';

const T0 = Date.UTC(2026, 11, 1, 9);
const HOUR = 3_600_000;
const NO_FILES = new Set<string>(['autumn-capsule-wardrobe']);

let app: App;
let ana: SessionUser;
let ben: SessionUser;
let admin: SessionUser;
let anaCreator: number;
let png: Uint8Array;

async function user(role: 'creator' | 'admin', email: string, creatorId: number | null): Promise<SessionUser> {
  const row = await app.db.insert(users).values({ email, passwordHash: 'x', role, creatorId, createdAt: T0 }).returning().get();
  return { id: row.id, email, role, creatorId };
}

beforeAll(async () => {
  const db = await createTestDb();
  app = testApp(db);
  const a = await makeCreator(db, { handle: 'ana-studio', displayName: 'Ana Studio' });
  const b = await makeCreator(db, { handle: 'ben-studio', displayName: 'Ben Studio' });
  anaCreator = a.id;
  ana = await user('creator', 'ana@studio.test', a.id);
  ben = await user('creator', 'ben@studio.test', b.id);
  admin = await user('admin', 'admin@studio.test', null);
  await makeProduct(db, { slug: 'linen-shirt', variants: [makeVariant({ sku: 'LS-M', priceCents: 6500 })] });
  await makeProduct(db, { slug: 'wool-coat', variants: [makeVariant({ sku: 'WC-M', priceCents: 24000 })] });
  png = new Uint8Array(await sharp({ create: { width: 400, height: 500, channels: 3, background: '#c9a27e' } }).png().toBuffer());
});

/** A draft of Ana's with a cover image and a body with two cards. */
async function anaDraft(slug: string, body = 'Intro.\n\n<ProductCard product="linen-shirt" />\n\nMiddle.\n\n<ProductCard product="wool-coat" />\n') {
  const created = await createStudioPost(app, ana, { now: T0 });
  if (!created.ok) throw new Error(created.message);
  const up = await uploadStudioImage(app, ana, created.id, png, { now: T0 });
  if (!up.ok) throw new Error(up.message);
  const saved = await saveStudioDraft(app, ana, created.id, {
    fields: { title: 'Linen for late summer', slug, summary: 'How I wear linen from August to the first cold week.', kind: 'look', tags: 'linen, summer', heroMediaId: up.media.id, heroAlt: 'A linen shirt on a chair by a window', body },
    draftVersion: 1,
    fileSlugs: NO_FILES,
    now: T0,
  });
  if (!saved.ok) throw new Error(saved.message);
  return { id: created.id, saved, heroId: up.media.id };
}

/** A form as the editor page posts it (a plain map of field names to strings). */
function formOf(values: Record<string, string | null>): { get(name: string): string | null } {
  return { get: (name) => values[name] ?? null };
}

describe('drafts', () => {
  it('saves a draft, writes card ids into the body, and refuses a stale version', async () => {
    const { id, saved } = await anaDraft('linen-late-summer');
    expect(saved.body).toContain('<ProductCard card={0} product="linen-shirt" />');
    expect(saved.body).toContain('<ProductCard card={1} product="wool-coat" />');
    expect(saved.draftVersion).toBe(2);
    const stale = await saveStudioDraft(app, ana, id, { fields: { title: 'Other', body: 'x' }, draftVersion: 1, fileSlugs: NO_FILES, now: T0 });
    expect(stale).toMatchObject({ ok: false, reason: 'conflict' });
    expect((await getStudioPost(app.db, id))!.title).toBe('Linen for late summer');
  });

  it('a save that changes nothing keeps the version, so Preview in another tab does not make the next autosave a conflict', async () => {
    const { id, saved } = await anaDraft('preview-keeps-version');
    const fields = { ...saved.fields, tags: saved.fields.tags.join(', ') };
    // The editor's "Preview": the form is saved as it stands, then a link is made.
    const preview = await runStudioPostAction(app, ana, id, { form: formOf({ ...fields, intent: 'preview', draftVersion: String(saved.draftVersion) }), fileSlugs: NO_FILES, now: T0 + 1 });
    expect(preview.kind).toBe('redirect');
    const after = (await getStudioPost(app.db, id))!;
    expect(after.draftVersion).toBe(saved.draftVersion);
    expect(after.updatedAt).toBe(T0);
    // This tab's next autosave, on the version it holds, goes through.
    const next = await saveStudioDraft(app, ana, id, { fields: { ...fields, title: 'Linen, later' }, draftVersion: saved.draftVersion, fileSlugs: NO_FILES, now: T0 + 2 });
    expect(next).toMatchObject({ ok: true, draftVersion: saved.draftVersion + 1 });
  });

  it('a preview of unsaved changes bumps the version once; the tab sending the same text again is answered with it, not a conflict', async () => {
    const { id, saved } = await anaDraft('preview-of-changes');
    const changed = { ...saved.fields, tags: saved.fields.tags.join(', '), title: 'Linen, changed before preview' };
    const preview = await runStudioPostAction(app, ana, id, { form: formOf({ ...changed, intent: 'preview', draftVersion: String(saved.draftVersion) }), fileSlugs: NO_FILES, now: T0 + 1 });
    expect(preview.kind).toBe('redirect');
    expect((await getStudioPost(app.db, id))!.draftVersion).toBe(saved.draftVersion + 1);
    // The editor tab still holds the old version and autosaves the same text: nothing to write, no conflict.
    const same = await saveStudioDraft(app, ana, id, { fields: changed, draftVersion: saved.draftVersion, fileSlugs: NO_FILES, now: T0 + 2 });
    expect(same).toMatchObject({ ok: true, draftVersion: saved.draftVersion + 1 });
    // Different text on the old version is still a conflict.
    const other = await saveStudioDraft(app, ana, id, { fields: { ...changed, title: 'Something else' }, draftVersion: saved.draftVersion, fileSlugs: NO_FILES, now: T0 + 3 });
    expect(other).toMatchObject({ ok: false, reason: 'conflict' });
    expect((await getStudioPost(app.db, id))!.title).toBe('Linen, changed before preview');
  });

  it('refuses a hostile body with its place, and writes nothing', async () => {
    const { id } = await anaDraft('hostile-attempt');
    const before = await getStudioPost(app.db, id);
    for (const body of ['import fs from "node:fs"\n\nHello', 'Hi {process.exit(1)}', '<script>alert(1)</script>', '[x](javascript:alert(1))', '<ProductCard product="linen-shirt" onClick={() => 1} />']) {
      const r = await saveStudioDraft(app, ana, id, { fields: { title: 'Still here', body }, draftVersion: before!.draftVersion, fileSlugs: NO_FILES, now: T0 });
      expect(r.ok, body).toBe(false);
      if (r.ok) continue;
      expect(r.reason).toBe('invalid');
      expect('problems' in r && r.problems?.[0]?.line).toBeGreaterThan(0);
    }
    const after = await getStudioPost(app.db, id);
    expect(after).toEqual(before);
  });

  it('keeps every card id through reorders and edits; a pasted duplicate gets a new one', async () => {
    const { id, saved } = await anaDraft('card-ids-survive');
    const [first, second] = saved.body.split('\n\n').filter((p) => p.startsWith('<ProductCard'));
    const swapped = `New intro.\n\n${second}\n\nMoved.\n\n${first}\n\n${first}\n`;
    const r = await saveStudioDraft(app, ana, id, { fields: { ...saved.fields, body: swapped }, draftVersion: saved.draftVersion, fileSlugs: NO_FILES, now: T0 });
    if (!r.ok) throw new Error(r.message);
    const ids = [...r.body.matchAll(/card=\{(\d+)\} product="([a-z-]+)"/g)].map((m) => `${m[2]}#${m[1]}`);
    expect(ids).toEqual(['wool-coat#1', 'linen-shirt#0', 'linen-shirt#2']);
  });
});

describe('publishing', () => {
  it('needs a title, summary, cover and its description', async () => {
    const created = await createStudioPost(app, ana, { now: T0 });
    if (!created.ok) throw new Error('create');
    await saveStudioDraft(app, ana, created.id, { fields: { title: 'Hi', body: 'Text.' }, draftVersion: 1, fileSlugs: NO_FILES, now: T0 });
    const r = await publishStudioPost(app, ana, created.id, { fileSlugs: NO_FILES, now: T0 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.fieldErrors ?? {}).sort()).toEqual(['heroMediaId', 'summary', 'title']);
    expect(await listRevisions(app.db, created.id)).toEqual([]);
  });

  it('publishes now: a revision with each card price, live for readers, version bumped', async () => {
    const { id } = await anaDraft('published-now');
    const v0 = await getContentVersion(app.db);
    const r = await publishStudioPost(app, ana, id, { fileSlugs: NO_FILES, now: T0 + 1 });
    expect(r).toMatchObject({ ok: true, revision: 1, slug: 'published-now', scheduled: false });
    expect(await getContentVersion(app.db)).toBe(v0 + 1);
    const live = (await readerStudioPosts(app.db, T0 + 2)).find((p) => p.slug === 'published-now');
    expect(live).toMatchObject({ creator: 'ana-studio', title: 'Linen for late summer', publishedAt: T0 + 1 });
    expect(live!.refs.map((x) => [x.slug, x.position, x.priceCents])).toEqual([
      ['linen-shirt', 0, 6500],
      ['wool-coat', 1, 24000],
    ]);
    const doc = await revisionDoc(app.db, live!.revisionId);
    expect(doc!.blocks.map((b) => b.type)).toEqual(['html', 'card', 'html', 'card']);
  });

  it('an edit stays private until "publish changes"; then revision 2 is live and revision 1 kept', async () => {
    const { id } = await anaDraft('edit-then-publish');
    await publishStudioPost(app, ana, id, { fileSlugs: NO_FILES, now: T0 });
    const post = await getStudioPost(app.db, id);
    const edited = await saveStudioDraft(app, ana, id, { fields: { ...(await fieldsOf(id)), title: 'Linen, revised' }, draftVersion: post!.draftVersion, fileSlugs: NO_FILES, now: T0 + 10 });
    expect(edited.ok).toBe(true);
    expect((await readerStudioPosts(app.db, T0 + 11)).find((p) => p.postId === id)!.title).toBe('Linen for late summer');
    await publishStudioPost(app, ana, id, { fileSlugs: NO_FILES, now: T0 + 20 });
    const live = (await readerStudioPosts(app.db, T0 + 21)).find((p) => p.postId === id)!;
    expect(live.title).toBe('Linen, revised');
    expect(live.publishedAt).toBe(T0); // the first publish date stays
    expect((await listRevisions(app.db, id)).map((r) => r.number)).toEqual([2, 1]);
  });

  it('schedules: invisible before its time, live at it with no write, the boundary known', async () => {
    const { id } = await anaDraft('scheduled-post');
    const at = T0 + 2 * HOUR;
    const r = await publishStudioPost(app, ana, id, { at, fileSlugs: NO_FILES, now: T0 });
    expect(r).toMatchObject({ ok: true, scheduled: true });
    expect((await readerStudioPosts(app.db, at - 1)).some((p) => p.postId === id)).toBe(false);
    expect(await nextStudioBoundary(app.db, T0)).toBeLessThanOrEqual(at);
    const due = (await readerStudioPosts(app.db, at)).find((p) => p.postId === id);
    expect(due).toMatchObject({ publishedAt: at });
    expect(await publishStudioPost(app, ana, id, { at: T0 - 1, fileSlugs: NO_FILES, now: T0 })).toMatchObject({ ok: false, fieldErrors: { publishAt: expect.any(String) } });
  });

  it('a cancelled schedule never goes live', async () => {
    const { id } = await anaDraft('cancelled-schedule');
    await publishStudioPost(app, ana, id, { at: T0 + HOUR, fileSlugs: NO_FILES, now: T0 });
    expect(await cancelStudioSchedule(app, ana, id, { now: T0 + 1 })).toEqual({ ok: true });
    expect((await readerStudioPosts(app.db, T0 + 2 * HOUR)).some((p) => p.postId === id)).toBe(false);
  });

  it('unpublishes and publishes again', async () => {
    const { id } = await anaDraft('on-and-off');
    await publishStudioPost(app, ana, id, { fileSlugs: NO_FILES, now: T0 });
    expect(await unpublishStudioPost(app, ana, id, { now: T0 + 5 })).toEqual({ ok: true });
    expect((await readerStudioPosts(app.db, T0 + 6)).some((p) => p.postId === id)).toBe(false);
    expect(await unpublishStudioPost(app, ana, id, { now: T0 + 7 })).toMatchObject({ ok: false, reason: 'not_allowed' });
    await publishStudioPost(app, ana, id, { fileSlugs: NO_FILES, now: T0 + 8 });
    expect((await readerStudioPosts(app.db, T0 + 9)).some((p) => p.postId === id)).toBe(true);
  });

  it('restores an earlier revision into the draft without publishing it', async () => {
    const { id } = await anaDraft('restore-me');
    await publishStudioPost(app, ana, id, { fileSlugs: NO_FILES, now: T0 });
    const p = await getStudioPost(app.db, id);
    await saveStudioDraft(app, ana, id, { fields: { ...(await fieldsOf(id)), title: 'Second title', body: 'All new.' }, draftVersion: p!.draftVersion, fileSlugs: NO_FILES, now: T0 + 1 });
    await publishStudioPost(app, ana, id, { fileSlugs: NO_FILES, now: T0 + 2 });
    const first = (await listRevisions(app.db, id)).find((r) => r.number === 1)!;
    expect(await restoreStudioRevision(app, ana, id, first.id, { now: T0 + 3 })).toMatchObject({ ok: true, number: 1 });
    const draft = await getStudioPost(app.db, id);
    expect(draft!.title).toBe('Linen for late summer');
    expect(draft!.body).toContain('<ProductCard card={0} product="linen-shirt" />');
    expect((await readerStudioPosts(app.db, T0 + 4)).find((x) => x.postId === id)!.title).toBe('Second title');
  });
});

describe('addresses', () => {
  it('refuses an address a file post or another studio post holds', async () => {
    const { id } = await anaDraft('unique-one');
    const p = await getStudioPost(app.db, id);
    const fileClash = await saveStudioDraft(app, ana, id, { fields: { ...(await fieldsOf(id)), slug: 'autumn-capsule-wardrobe' }, draftVersion: p!.draftVersion, fileSlugs: NO_FILES, now: T0 });
    expect(fileClash).toMatchObject({ ok: false, reason: 'taken', fieldErrors: { slug: expect.stringContaining('site files') } });
    const { id: other } = await anaDraft('unique-two');
    const q = await getStudioPost(app.db, other);
    const clash = await saveStudioDraft(app, ana, other, { fields: { ...(await fieldsOf(other)), slug: 'unique-one' }, draftVersion: q!.draftVersion, fileSlugs: NO_FILES, now: T0 });
    expect(clash).toMatchObject({ ok: false, reason: 'taken' });
    const bad = await saveStudioDraft(app, ana, other, { fields: { ...(await fieldsOf(other)), slug: 'Not A Slug!' }, draftVersion: q!.draftVersion, fileSlugs: NO_FILES, now: T0 });
    expect(bad).toMatchObject({ ok: false, fieldErrors: { slug: expect.any(String) } });
  });

  it('a renamed published post keeps its old address, which leads to it; nobody else can take it', async () => {
    const { id } = await anaDraft('first-name');
    await publishStudioPost(app, ana, id, { fileSlugs: NO_FILES, now: T0 });
    const p = await getStudioPost(app.db, id);
    await saveStudioDraft(app, ana, id, { fields: { ...(await fieldsOf(id)), slug: 'second-name' }, draftVersion: p!.draftVersion, fileSlugs: NO_FILES, now: T0 + 1 });
    // Until the rename is published, readers still use the first address.
    expect((await readerStudioPosts(app.db, T0 + 2)).find((x) => x.postId === id)!.slug).toBe('first-name');
    await publishStudioPost(app, ana, id, { fileSlugs: NO_FILES, now: T0 + 3 });
    expect((await readerStudioPosts(app.db, T0 + 4)).find((x) => x.postId === id)!.slug).toBe('second-name');
    expect(await postIdForSlug(app.db, 'first-name')).toBe(id);
    const { id: other } = await anaDraft('squatter');
    const q = await getStudioPost(app.db, other);
    expect(await saveStudioDraft(app, ana, other, { fields: { ...(await fieldsOf(other)), slug: 'first-name' }, draftVersion: q!.draftVersion, fileSlugs: NO_FILES, now: T0 })).toMatchObject({ ok: false, reason: 'taken' });

    // Credit recorded under either address adds up under the current one (dashboard, CSV, studio list).
    const aliases = await formerSlugs(app.db, anaCreator);
    expect(aliases.get('first-name')).toBe('second-name');
    expect(await formerSlugs(app.db, ben.creatorId!)).toEqual(new Map());
    // The post now at the second address was at the first (buyer shows sold under it still count).
    expect(await formerSlugsOf(app.db, 'second-name')).toEqual(['first-name']);
    expect(await formerSlugsOf(app.db, 'first-name')).toEqual([]);
    await app.db.insert(cardDaily).values([
      { creatorId: anaCreator, post: 'first-name', card: 0, day: 20_000, views: 5, clicks: 2, adds: 1 },
      { creatorId: anaCreator, post: 'second-name', card: 0, day: 20_001, views: 3, clicks: 1, adds: 0 },
    ]);
    const totals = await postTotals(app.db, ['second-name'], anaCreator, aliases);
    expect(totals.get('second-name')).toMatchObject({ views: 8, clicks: 3 });
    expect(totals.has('first-name')).toBe(false);
    expect((await postTotals(app.db, ['second-name'], anaCreator)).get('second-name')).toMatchObject({ views: 3, clicks: 1 });
  });
});

describe('ownership', () => {
  it("creator B cannot read, edit, preview, publish, unpublish, restore or upload into A's post", async () => {
    const { id } = await anaDraft('anas-own');
    await publishStudioPost(app, ana, id, { fileSlugs: NO_FILES, now: T0 });
    const rev = (await listRevisions(app.db, id))[0]!;
    const before = await getStudioPost(app.db, id);
    const attempts = [
      await saveStudioDraft(app, ben, id, { fields: { title: 'Mine now', body: 'x' }, draftVersion: before!.draftVersion, fileSlugs: NO_FILES, now: T0 }),
      await publishStudioPost(app, ben, id, { fileSlugs: NO_FILES, now: T0 }),
      await unpublishStudioPost(app, ben, id, { now: T0 }),
      await cancelStudioSchedule(app, ben, id, { now: T0 }),
      await restoreStudioRevision(app, ben, id, rev.id, { now: T0 }),
      await studioPreviewLink(app, ben, id, { now: T0 }),
      await uploadStudioImage(app, ben, id, png, { now: T0 }),
    ];
    for (const r of attempts) expect(r).toMatchObject({ ok: false, reason: 'not_found', message: 'There is no such post in your studio.' });
    const form = new Map([['intent', 'publish'], ['title', 'Mine now'], ['draftVersion', String(before!.draftVersion)]]);
    expect(await runStudioPostAction(app, ben, id, { form: { get: (k) => form.get(k) ?? null }, fileSlugs: NO_FILES, now: T0 })).toMatchObject({ kind: 'refused', refusal: { reason: 'not_found' } });
    expect(await getStudioPost(app.db, id)).toEqual(before);
  });

  it("a creator cannot use another creator's upload, in the body or as the cover", async () => {
    const bens = await saveUpload(app.db, { bytes: png, ownerCreatorId: ben.creatorId, uploadedByUserId: ben.id, now: T0 });
    if (!bens.ok) throw new Error('upload');
    const { id } = await anaDraft('borrowed-image');
    const p = await getStudioPost(app.db, id);
    const inline = await saveStudioDraft(app, ana, id, { fields: { ...(await fieldsOf(id)), body: `Look:\n\n![a coat](/media/${bens.media.id})\n` }, draftVersion: p!.draftVersion, fileSlugs: NO_FILES, now: T0 });
    expect(inline).toMatchObject({ ok: false, reason: 'invalid' });
    const cover = await saveStudioDraft(app, ana, id, { fields: { ...(await fieldsOf(id)), heroMediaId: bens.media.id }, draftVersion: p!.draftVersion, fileSlugs: NO_FILES, now: T0 });
    expect(cover).toMatchObject({ ok: false, fieldErrors: { heroMediaId: expect.any(String) } });
  });

  it("an admin edits and publishes any creator's post; its uploads belong to the post's creator", async () => {
    const { id } = await anaDraft('admin-helps');
    const up = await uploadStudioImage(app, admin, id, png, { now: T0 });
    expect(up.ok && (await getStudioPost(app.db, id))!.creatorId).toBe(anaCreator);
    const r = await publishStudioPost(app, admin, id, { fileSlugs: NO_FILES, now: T0 });
    expect(r.ok).toBe(true);
    expect(await createStudioPost(app, admin, { now: T0 })).toMatchObject({ ok: false, reason: 'creator_required' });
  });
});

describe('previews', () => {
  it('a preview link shows the draft to whoever holds it, until it expires; a forged one shows nothing', async () => {
    const { id } = await anaDraft('preview-me');
    const link = await studioPreviewLink(app, ana, id, { now: T0 });
    if (!link.ok) throw new Error('link');
    const seen = await loadStudioPreview(app, link.token, { now: T0 + HOUR });
    expect(seen).toMatchObject({ ok: true, fields: { title: 'Linen for late summer' } });
    expect(await loadStudioPreview(app, link.token, { now: T0 + 25 * HOUR })).toMatchObject({ ok: false, reason: 'expired' });
    const [pid, exp, sig] = link.token.split('.');
    expect(await loadStudioPreview(app, `${Number(pid) + 1}.${exp}.${sig}`, { now: T0 })).toMatchObject({ ok: false });
    expect(await loadStudioPreview(app, `${pid}.${Number(exp) + 1000}.${sig}`, { now: T0 })).toMatchObject({ ok: false });
    expect(await loadStudioPreview(app, 'nonsense', { now: T0 })).toMatchObject({ ok: false });
  });
});

describe('profiles', () => {
  it('saves a profile (live: version bumped) and refuses unsafe links and borrowed photos', async () => {
    const v0 = await getContentVersion(app.db);
    const ok = await saveCreatorProfile(app, ana, { displayName: 'Ana S.', bio: 'I write about linen.', location: 'Lisbon', linkLabels: ['Instagram'], linkUrls: ['https://instagram.com/ana'] }, { now: T0 });
    expect(ok).toMatchObject({ ok: true, fields: { displayName: 'Ana S.', links: [{ label: 'Instagram', url: 'https://instagram.com/ana' }] } });
    expect(await getContentVersion(app.db)).toBe(v0 + 1);
    const bad = await saveCreatorProfile(app, ana, { displayName: 'Ana', linkLabels: ['x'], linkUrls: ['javascript:alert(1)'] }, { now: T0 });
    expect(bad).toMatchObject({ ok: false, fieldErrors: { link0: expect.stringContaining('https://') } });
    const bens = await saveUpload(app.db, { bytes: png, ownerCreatorId: ben.creatorId, uploadedByUserId: ben.id, now: T0 });
    if (!bens.ok) throw new Error('upload');
    expect(await saveCreatorProfile(app, ana, { displayName: 'Ana', avatarMediaId: bens.media.id }, { now: T0 })).toMatchObject({ ok: false, fieldErrors: { avatarMediaId: expect.any(String) } });
    // Ben cannot write Ana's profile: a creator's profile is always their own.
    const benTry = await saveCreatorProfile(app, ben, { creatorId: anaCreator, displayName: 'Hacked' }, { now: T0 });
    expect(benTry.ok && benTry.fields.displayName).toBe('Hacked');
    expect((await getStudioPost(app.db, (await anaDraft('after-profile')).id))!.creatorName).toBe('Ana S.');
  });
});

async function fieldsOf(id: number) {
  const p = (await getStudioPost(app.db, id))!;
  return { title: p.title, slug: p.slug, summary: p.summary, kind: p.kind, tags: JSON.parse(p.tagsJson).join(', '), heroMediaId: p.heroMediaId, heroAlt: p.heroAlt, body: p.body };
}
