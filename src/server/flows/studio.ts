/**
 * The studio's workflows (docs/decisions/0038-studio-posts.md): create a draft, save it (the
 * editor's autosave and the plain form), publish now or at a time, unpublish, restore a revision,
 * mint a preview link, and save a creator's profile.
 *
 * Every one checks who is asking: a creator touches only their own posts, profile and uploads;
 * an admin touches all. A post someone may not touch answers exactly like a post that does not
 * exist, so ids cannot be probed. The body is checked against the MDX allow-list on every save and
 * again on publish (docs/decisions/0039-mdx-allow-list.md); a refused save writes nothing.
 */
import type { SessionUser } from '../auth/index.ts';
import { defaultVariant, getProductsBySlug } from '../catalog/index.ts';
import {
  bumpContentVersion,
  claimSlug,
  compileStudioMdx,
  draftFieldsOf,
  getCreatorProfile,
  getRevision,
  getStudioPost,
  insertRevision,
  insertStudioPost,
  parseDraftFields,
  parseProfileFields,
  previewToken,
  publishProblems,
  readPreviewToken,
  readerRevision,
  scheduleProblem,
  settled,
  slugTaken,
  writeCreatorProfile,
  writeDraft,
  writePublishState,
  type DraftFields,
  type MdxProblem,
  type MediaInfo,
  type ProfileFields,
  type PublishedRef,
  type StudioDoc,
  type StudioPostRow,
} from '../content/index.ts';
import { getMediaInfo, saveUpload, type SaveUploadResult } from '../media/index.ts';
import { paths, refuse, type FieldErrors, type Refusal, type Result } from '../shared/index.ts';
import type { App } from './app.ts';

/** A refused save or publish: the message, field errors and the body's problems with their places. */
export type StudioRefusal = Refusal & { problems?: MdxProblem[] };

type Owned = StudioPostRow & { creatorHandle: string; creatorName: string };

const NOT_YOURS = 'There is no such post in your studio.';

/** May this user edit this post? Creators: their own; admins: every post. */
export function canEditPost(user: Pick<SessionUser, 'role' | 'creatorId'>, post: Pick<StudioPostRow, 'creatorId'>): boolean {
  return user.role === 'admin' || (user.role === 'creator' && user.creatorId !== null && user.creatorId === post.creatorId);
}

/** The post if this user may edit it; the same refusal for "not yours" and "not there". */
export async function loadOwnedPost(app: App, user: SessionUser, id: number): Promise<Result<{ post: Owned }, 'not_found'>> {
  const post = await getStudioPost(app.db, id);
  if (!post || !canEditPost(user, post)) return refuse('not_found', NOT_YOURS);
  return { ok: true, post };
}

/** Starts an empty draft for the signed-in creator (an admin names the creator it is for). */
export async function createStudioPost(app: App, user: SessionUser, { creatorId, now = Date.now() }: { creatorId?: number; now?: number } = {}): Promise<Result<{ id: number }, 'not_found' | 'creator_required'>> {
  const owner = user.role === 'admin' ? creatorId : user.creatorId;
  if (owner === undefined || owner === null) return refuse('creator_required', 'Choose the creator this post is for.');
  if (user.role !== 'admin' && owner !== user.creatorId) return refuse('not_found', NOT_YOURS);
  if (!(await getCreatorProfile(app.db, owner))) return refuse('not_found', 'There is no such creator.');
  const row = await insertStudioPost(app.db, owner, now);
  return { ok: true, id: row.id };
}

/** `/media/<id>` images in a body, in order, without repeats. */
export function mediaIdsIn(body: string): string[] {
  return [...new Set([...body.matchAll(/\/media\/([A-Za-z0-9_-]{8,40})\b/g)].map((m) => m[1]!))];
}

/** The uploads the post's images may use: the post creator's own (and the shop's, for admins' posts). */
async function mediaFor(app: App, post: Pick<StudioPostRow, 'creatorId'>, ids: string[]): Promise<Map<string, MediaInfo>> {
  return getMediaInfo(app.db, ids, { ownerCreatorId: post.creatorId });
}

interface Compiled {
  source: string;
  nextCard: number;
  doc: StudioDoc;
  refs: PublishedRef[];
}

async function compileBody(app: App, post: Owned, fields: DraftFields, { publish }: { publish: boolean }): Promise<Result<{ compiled: Omit<Compiled, 'refs'> & { refs: Compiled['refs'] } }> | StudioRefusal> {
  const ids = [...mediaIdsIn(fields.body), ...(fields.heroMediaId ? [fields.heroMediaId] : [])];
  const media = await mediaFor(app, post, ids);
  const fieldErrors: FieldErrors = {};
  if (fields.heroMediaId && !media.has(fields.heroMediaId)) fieldErrors.heroMediaId = 'This cover image is not one of your uploads; upload it again.';
  const result = compileStudioMdx(fields.body, {
    nextCard: post.nextCard,
    knownCards: new Set(Array.from({ length: post.nextCard }, (_, i) => i)),
    media: (id) => media.get(id),
    requireAlt: publish,
  });
  if (!result.ok) {
    const first = result.problems[0];
    const summary = result.problems.length === 1 ? 'The post has 1 problem to fix' : `The post has ${result.problems.length} problems to fix`;
    return {
      ...refuse('invalid', `${summary}${first ? ` — ${first.message}` : '.'}`, { ...fieldErrors, body: first ? first.message : 'Check the post.' }),
      problems: result.problems,
    };
  }
  if (Object.keys(fieldErrors).length > 0) return refuse('invalid', Object.values(fieldErrors).join(' '), fieldErrors);
  const refs: PublishedRef[] = result.refs.map((r) => ({ ...r, priceCents: null }));
  return { ok: true, compiled: { source: result.source, nextCard: result.nextCard, doc: result.doc, refs } };
}

/**
 * Saves the draft (autosave and the form's "Save draft"). `draftVersion` is what the editor last
 * loaded or saved: an older one means another tab saved since, and nothing is written.
 * Returns the body with card ids written in, for the editor to adopt.
 */
export async function saveStudioDraft(
  app: App,
  user: SessionUser,
  id: number,
  { fields: input, draftVersion, fileSlugs, now = Date.now() }: { fields: Record<string, unknown>; draftVersion: number; fileSlugs: ReadonlySet<string>; now?: number },
): Promise<Result<{ draftVersion: number; body: string; savedAt: number; fields: DraftFields }> | StudioRefusal> {
  const owned = await loadOwnedPost(app, user, id);
  if (!owned.ok) return owned;
  const post = owned.post;
  const parsed = parseDraftFields(input);
  if (!parsed.ok) return parsed;
  const fields = parsed.fields;
  if (fields.body.length > 100_000) return refuse('invalid', 'The post is too long (at most 100,000 characters).', { body: 'The post is too long (at most 100,000 characters).' });
  if (fields.slug) {
    const taken = await slugTaken(app.db, fields.slug, post.id, fileSlugs);
    if (taken) return refuse('taken', taken, { slug: taken });
  }
  const compiled = await compileBody(app, post, fields, { publish: false });
  if (!compiled.ok) return compiled;
  const saved = { ...fields, body: compiled.compiled.source };
  try {
    const v = await app.db.transaction((tx) => writeDraft(tx, post.id, saved, { draftVersion, nextCard: compiled.compiled.nextCard, now }));
    if (v === null) return refuse('conflict', 'This post was saved from another window since you opened it. Reload to see the latest version before you carry on.');
    return { ok: true, draftVersion: v, body: saved.body, savedAt: now, fields: saved };
  } catch (err) {
    if (isUniqueViolation(err)) return refuse('taken', 'Another post already uses this address; choose another.', { slug: 'Another post already uses this address; choose another.' });
    throw err;
  }
}

/**
 * Publishes the saved draft: now (`at` absent) or at a future time. Checks everything a reader
 * will see (title, summary, cover and its description, every image's alt text, the allow-list),
 * keeps a revision with each card's price, and claims the address. A published post keeps its old
 * addresses: they redirect to the new one.
 */
export async function publishStudioPost(
  app: App,
  user: SessionUser,
  id: number,
  { at, fileSlugs, now = Date.now() }: { at?: number; fileSlugs: ReadonlySet<string>; now?: number },
): Promise<Result<{ revision: number; slug: string; publishAt: number; scheduled: boolean }> | StudioRefusal> {
  const owned = await loadOwnedPost(app, user, id);
  if (!owned.ok) return owned;
  const post = owned.post;
  if (at !== undefined) {
    const problem = scheduleProblem(at, now);
    if (problem) return refuse('invalid', problem, { publishAt: problem });
  }
  const fields = draftFieldsOf(post);
  const missing = publishProblems(fields);
  if (Object.keys(missing).length > 0) return refuse('invalid', `Before publishing: ${Object.values(missing).join(' ')}`, missing);
  const taken = await slugTaken(app.db, post.slug, post.id, fileSlugs);
  if (taken) return refuse('taken', taken, { slug: taken });
  const compiled = await compileBody(app, post, fields, { publish: true });
  if (!compiled.ok) return compiled;
  const { doc, source, nextCard } = compiled.compiled;
  const products = await getProductsBySlug(app.db, [...new Set(compiled.compiled.refs.map((r) => r.slug))]);
  const refs = compiled.compiled.refs.map((r) => {
    const p = products.get(r.slug);
    return { ...r, priceCents: p ? (defaultVariant(p.variants, r.variant)?.priceCents ?? null) : null };
  });
  const publishAt = at ?? now;
  try {
    const revision = await app.db.transaction(async (tx) => {
      // Re-read inside the write: a save since we read would otherwise be published unchecked.
      const current = await getStudioPost(tx, post.id);
      if (!current || current.draftVersion !== post.draftVersion) return null;
      if (source !== current.body || nextCard !== current.nextCard) {
        await writeDraft(tx, post.id, { ...fields, body: source }, { draftVersion: current.draftVersion, nextCard, now });
      }
      const row = { ...current, body: source };
      const rev = await insertRevision(tx, row, { doc, refs, publishAt, userId: user.id, now });
      await claimSlug(tx, row.slug, row.id, now);
      const state = settled(current, now);
      await writePublishState(
        tx,
        row.id,
        at === undefined
          ? { liveRevisionId: rev.id, firstPublishedAt: state.firstPublishedAt ?? now, unpublishedAt: null, scheduledRevisionId: null, scheduledFor: null }
          : { ...state, scheduledRevisionId: rev.id, scheduledFor: at },
        now,
      );
      await bumpContentVersion(tx);
      return rev;
    });
    if (!revision) return refuse('conflict', 'This post changed while it was being published. Check it and publish again.');
    return { ok: true, revision: revision.number, slug: revision.slug, publishAt, scheduled: at !== undefined };
  } catch (err) {
    if (isUniqueViolation(err)) return refuse('taken', 'Another post already uses this address; choose another.', { slug: 'Another post already uses this address; choose another.' });
    throw err;
  }
}

/** Takes the post off the site (and cancels any schedule). It stays in the studio and can be published again. */
export async function unpublishStudioPost(app: App, user: SessionUser, id: number, { now = Date.now() }: { now?: number } = {}): Promise<Result<object, 'not_found' | 'not_allowed'>> {
  const owned = await loadOwnedPost(app, user, id);
  if (!owned.ok) return owned;
  const state = settled(owned.post, now);
  if (readerRevision(state, now) === null && state.scheduledRevisionId === null) return refuse('not_allowed', 'This post is not published.');
  await app.db.transaction(async (tx) => {
    await writePublishState(tx, id, { ...state, unpublishedAt: state.firstPublishedAt === null ? null : now, scheduledRevisionId: null, scheduledFor: null }, now);
    await bumpContentVersion(tx);
  });
  return { ok: true };
}

/** Cancels a pending schedule; what readers see now is unchanged. */
export async function cancelStudioSchedule(app: App, user: SessionUser, id: number, { now = Date.now() }: { now?: number } = {}): Promise<Result<object, 'not_found' | 'not_allowed'>> {
  const owned = await loadOwnedPost(app, user, id);
  if (!owned.ok) return owned;
  const state = settled(owned.post, now);
  if (state.scheduledRevisionId === null) return refuse('not_allowed', 'Nothing is scheduled for this post.');
  await app.db.transaction(async (tx) => {
    await writePublishState(tx, id, { ...state, scheduledRevisionId: null, scheduledFor: null }, now);
    await bumpContentVersion(tx);
  });
  return { ok: true };
}

/**
 * Copies an earlier revision into the draft (title, summary, kind, tags, cover, body); the address
 * stays. Readers see nothing new until the creator publishes it.
 */
export async function restoreStudioRevision(
  app: App,
  user: SessionUser,
  id: number,
  revisionId: number,
  { now = Date.now() }: { now?: number } = {},
): Promise<Result<{ draftVersion: number; number: number }, 'not_found' | 'conflict'>> {
  const owned = await loadOwnedPost(app, user, id);
  if (!owned.ok) return owned;
  const rev = await getRevision(app.db, id, revisionId);
  if (!rev) return refuse('not_found', 'There is no such revision of this post.');
  const post = owned.post;
  const fields: DraftFields = {
    title: rev.title,
    slug: post.slug,
    summary: rev.summary,
    kind: rev.kind,
    tags: JSON.parse(rev.tagsJson) as string[],
    heroMediaId: rev.heroMediaId,
    heroAlt: rev.heroAlt,
    body: rev.body,
  };
  const v = await app.db.transaction((tx) => writeDraft(tx, id, fields, { draftVersion: post.draftVersion, nextCard: post.nextCard, now }));
  if (v === null) return refuse('conflict', 'This post was saved from another window meanwhile. Reload and try again.');
  return { ok: true, draftVersion: v, number: rev.number };
}

/** A private preview link of the current draft (for the post's creator or an admin). */
export async function studioPreviewLink(app: App, user: SessionUser, id: number, { now = Date.now() }: { now?: number } = {}): Promise<Result<{ token: string }, 'not_found'>> {
  const owned = await loadOwnedPost(app, user, id);
  if (!owned.ok) return owned;
  return { ok: true, token: await previewToken(app.db, id, now) };
}

/**
 * What a preview link shows: the current draft, compiled exactly as a publish would (cards with
 * live data come from the page). A bad or expired link and a draft that does not compile are
 * refusals the page explains.
 */
export async function loadStudioPreview(
  app: App,
  token: string,
  { now = Date.now() }: { now?: number } = {},
): Promise<Result<{ post: Owned; fields: DraftFields; doc: StudioDoc; refs: PublishedRef[]; hero: MediaInfo | undefined }> | StudioRefusal> {
  const id = await readPreviewToken(app.db, token, now);
  const post = id === null ? undefined : await getStudioPost(app.db, id);
  if (!post) return refuse('expired', 'This preview link has expired or is not valid. Ask for a new one from the studio.');
  const fields = draftFieldsOf(post);
  const compiled = await compileBody(app, post, fields, { publish: false });
  if (!compiled.ok) return compiled;
  const hero = fields.heroMediaId ? (await mediaFor(app, post, [fields.heroMediaId])).get(fields.heroMediaId) : undefined;
  return { ok: true, post, fields, doc: compiled.compiled.doc, refs: compiled.compiled.refs, hero };
}

/** Saves the signed-in creator's public profile (admins: the creator they name). Live at once. */
export async function saveCreatorProfile(
  app: App,
  user: SessionUser,
  input: Parameters<typeof parseProfileFields>[0] & { creatorId?: number; avatarUpload?: Uint8Array | undefined },
  { now = Date.now() }: { now?: number } = {},
): Promise<Result<{ fields: ProfileFields }, 'invalid' | 'not_found' | 'creator_required'>> {
  const creatorId = user.role === 'admin' ? input.creatorId : user.creatorId;
  if (creatorId === undefined || creatorId === null) return refuse('creator_required', 'Choose the creator whose profile this is.');
  if (!(await getCreatorProfile(app.db, creatorId))) return refuse('not_found', 'There is no such creator.');
  // Check the text before storing a photo, so a refused form leaves no orphan upload.
  const first = parseProfileFields(input);
  if (!first.ok) return first;
  if (input.avatarUpload && input.avatarUpload.byteLength > 0) {
    const up = await saveUpload(app.db, { bytes: input.avatarUpload, ownerCreatorId: creatorId, uploadedByUserId: user.id, now });
    if (!up.ok) return refuse('invalid', up.message, { avatarMediaId: up.message });
    input = { ...input, avatarMediaId: up.media.id };
  }
  const parsed = parseProfileFields(input);
  if (!parsed.ok) return parsed;
  if (parsed.fields.avatarMediaId) {
    const owned = await getMediaInfo(app.db, [parsed.fields.avatarMediaId], { ownerCreatorId: creatorId });
    if (!owned.has(parsed.fields.avatarMediaId)) return refuse('invalid', 'This photo is not one of your uploads; upload it again.', { avatarMediaId: 'This photo is not one of your uploads; upload it again.' });
  }
  await app.db.transaction(async (tx) => {
    await writeCreatorProfile(tx, creatorId, parsed.fields, now);
    await bumpContentVersion(tx);
  });
  return { ok: true, fields: parsed.fields };
}

function isUniqueViolation(err: unknown): boolean {
  const text = String((err as { message?: unknown })?.message ?? '') + String((err as { cause?: { message?: unknown } })?.cause?.message ?? '');
  return /UNIQUE constraint failed|SQLITE_CONSTRAINT_(PRIMARYKEY|UNIQUE)/.test(text);
}

/** The editor form's buttons. Every one but "restore" saves the form first. */
export const STUDIO_INTENTS = ['save', 'preview', 'publish', 'schedule', 'unpublish', 'cancel-schedule', 'restore'] as const;
export type StudioIntent = (typeof STUDIO_INTENTS)[number];

export type StudioActionOutcome =
  | { kind: 'redirect'; to: string; done?: 'saved' | 'published' | 'scheduled' | 'unpublished' | 'unscheduled' | 'restored' }
  | { kind: 'refused'; refusal: StudioRefusal; values: DraftFields | null };

type FormLike = { get(name: string): FormDataEntryValue | null };

/**
 * A `datetime-local` value read as UTC ("2026-12-24T09:30"), the zone the studio shows.
 * @example parseUtcDateTime('2026-12-24T09:30') // Date.UTC(2026, 11, 24, 9, 30)
 */
export function parseUtcDateTime(value: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
  if (!m) return Number.NaN;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const at = Date.UTC(y, mo - 1, d, h, mi);
  const back = new Date(at);
  return back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 ? at : Number.NaN;
}

/**
 * The editor page's POST: save the form, then do what the pressed button asks. `heroUpload` is
 * the cover image chosen in the form without JavaScript (the editor uploads it on its own).
 */
export async function runStudioPostAction(
  app: App,
  user: SessionUser,
  id: number,
  { form, heroUpload, fileSlugs, now = Date.now() }: { form: FormLike; heroUpload?: Uint8Array | undefined; fileSlugs: ReadonlySet<string>; now?: number },
): Promise<StudioActionOutcome> {
  const str = (k: string) => {
    const v = form.get(k);
    return typeof v === 'string' ? v : '';
  };
  const intent = STUDIO_INTENTS.find((i) => i === str('intent')) ?? 'save';
  const self = paths.studioPost(id);
  if (intent === 'restore') {
    const r = await restoreStudioRevision(app, user, id, Number(str('revision')), { now });
    return r.ok ? { kind: 'redirect', to: self, done: 'restored' } : { kind: 'refused', refusal: r, values: null };
  }
  const fields: Record<string, unknown> = Object.fromEntries(['title', 'slug', 'summary', 'kind', 'tags', 'heroMediaId', 'heroAlt', 'body'].map((k) => [k, str(k)]));
  if (heroUpload && heroUpload.byteLength > 0) {
    const uploaded = await uploadStudioImage(app, user, id, heroUpload, { now });
    if (!uploaded.ok) return { kind: 'refused', refusal: { ...uploaded, fieldErrors: { heroMediaId: uploaded.message } }, values: echo(fields) };
    fields.heroMediaId = uploaded.media.id;
  }
  const draftVersion = Number(str('draftVersion'));
  const saved = await saveStudioDraft(app, user, id, { fields, draftVersion: Number.isSafeInteger(draftVersion) ? draftVersion : -1, fileSlugs, now });
  if (!saved.ok) return { kind: 'refused', refusal: saved, values: echo(fields) };
  const values = saved.fields;
  switch (intent) {
    case 'save':
      return { kind: 'redirect', to: self, done: 'saved' };
    case 'preview': {
      const link = await studioPreviewLink(app, user, id, { now });
      return link.ok ? { kind: 'redirect', to: paths.preview(link.token) } : { kind: 'refused', refusal: link, values };
    }
    case 'publish':
    case 'schedule': {
      const at = intent === 'schedule' ? parseUtcDateTime(str('publishAt')) : undefined;
      if (at !== undefined && Number.isNaN(at)) return { kind: 'refused', refusal: refuse('invalid', 'Choose the date and time to publish at.', { publishAt: 'Choose the date and time to publish at.' }), values };
      const r = await publishStudioPost(app, user, id, { ...(at !== undefined ? { at } : {}), fileSlugs, now });
      return r.ok ? { kind: 'redirect', to: self, done: r.scheduled ? 'scheduled' : 'published' } : { kind: 'refused', refusal: r, values };
    }
    case 'unpublish': {
      const r = await unpublishStudioPost(app, user, id, { now });
      return r.ok ? { kind: 'redirect', to: self, done: 'unpublished' } : { kind: 'refused', refusal: r, values };
    }
    case 'cancel-schedule': {
      const r = await cancelStudioSchedule(app, user, id, { now });
      return r.ok ? { kind: 'redirect', to: self, done: 'unscheduled' } : { kind: 'refused', refusal: r, values };
    }
  }
}

/** The form's values as typed, to show again next to the errors. */
function echo(fields: Record<string, unknown>): DraftFields {
  const s = (k: string) => (typeof fields[k] === 'string' ? (fields[k] as string) : '');
  const kind = s('kind');
  return {
    title: s('title'),
    slug: s('slug'),
    summary: s('summary'),
    kind: kind === 'guide' || kind === 'review' ? kind : 'look',
    tags: s('tags').split(',').map((t) => t.trim()).filter(Boolean),
    heroMediaId: s('heroMediaId') || null,
    heroAlt: s('heroAlt'),
    body: s('body'),
  };
}

/**
 * An image uploaded for a post (cover or inline): owned by the post's creator, so it can be used
 * in their post whoever uploaded it (the creator, or an admin helping).
 */
export async function uploadStudioImage(
  app: App,
  user: SessionUser,
  postId: number,
  bytes: Uint8Array,
  { now = Date.now() }: { now?: number } = {},
): Promise<SaveUploadResult | Refusal<'not_found'>> {
  const owned = await loadOwnedPost(app, user, postId);
  if (!owned.ok) return owned;
  return saveUpload(app.db, { bytes, ownerCreatorId: owned.post.creatorId, uploadedByUserId: user.id, now });
}
