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
import { getMediaInfo } from '../media/index.ts';
import { refuse, type FieldErrors, type Refusal, type Result } from '../shared/index.ts';
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
      ...refuse('invalid', `${summary}${first ? ` — line ${first.line}: ${first.message}` : '.'}`, { ...fieldErrors, body: first ? `Line ${first.line}: ${first.message}` : 'Check the post.' }),
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
  if (state.liveRevisionId === null && state.scheduledRevisionId === null) return refuse('not_allowed', 'This post is not published.');
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
  input: Parameters<typeof parseProfileFields>[0] & { creatorId?: number },
  { now = Date.now() }: { now?: number } = {},
): Promise<Result<{ fields: ProfileFields }, 'invalid' | 'not_found' | 'creator_required'>> {
  const creatorId = user.role === 'admin' ? input.creatorId : user.creatorId;
  if (creatorId === undefined || creatorId === null) return refuse('creator_required', 'Choose the creator whose profile this is.');
  if (!(await getCreatorProfile(app.db, creatorId))) return refuse('not_found', 'There is no such creator.');
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
