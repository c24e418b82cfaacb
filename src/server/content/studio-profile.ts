/**
 * Creator profiles edited in the studio (name, bio, location, avatar, links), stored on the
 * creator row. A creator who has not saved one yet shows their profile file (src/content/creators)
 * if they have one, else a page made from their name — so an invited creator has a public page
 * from the moment they accept.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../db.ts';
import { creators } from '../../../db/schema/index.ts';
import { refuse, type FieldErrors, type Result } from '../shared/index.ts';

export interface ProfileFields {
  displayName: string;
  bio: string;
  location: string;
  avatarMediaId: string | null;
  links: { label: string; url: string }[];
}

export interface DbCreatorProfile extends ProfileFields {
  id: number;
  handle: string;
  /** Null until the creator saves a profile in the studio. */
  profileUpdatedAt: number | null;
  createdAt: number;
}

const MEDIA_ID = /^[A-Za-z0-9_-]{8,40}$/;

/** A link on a profile: http(s) only, so no `javascript:` or `data:` address ever becomes a link. */
export function linkProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'Write the full address, starting with https://';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'Links must start with https:// or http://';
  if (u.username || u.password) return 'Links cannot carry a user name or password.';
  return null;
}

const text = (max: number, what: string) => z.string().transform((s) => s.replace(/\r\n?/g, '\n').trim()).pipe(z.string().max(max, `${what} can be at most ${max} characters.`));

const schema = z.object({
  displayName: text(80, 'Your name').pipe(z.string().min(2, 'Write the name readers will see (at least 2 characters).')),
  bio: text(600, 'The bio'),
  location: text(80, 'The location'),
  avatarMediaId: z
    .string()
    .nullable()
    .transform((s) => (s && s.trim() ? s.trim() : null))
    .refine((s) => s === null || MEDIA_ID.test(s), 'Upload the photo again.'),
});

/**
 * The profile from a form: `linkLabel`/`linkUrl` come as parallel lists (empty pairs dropped).
 * At most 8 links.
 */
export function parseProfileFields(input: {
  displayName?: unknown;
  bio?: unknown;
  location?: unknown;
  avatarMediaId?: unknown;
  linkLabels?: unknown[];
  linkUrls?: unknown[];
}): Result<{ fields: ProfileFields }, 'invalid'> {
  const parsed = schema.safeParse({
    displayName: typeof input.displayName === 'string' ? input.displayName : '',
    bio: typeof input.bio === 'string' ? input.bio : '',
    location: typeof input.location === 'string' ? input.location : '',
    avatarMediaId: typeof input.avatarMediaId === 'string' ? input.avatarMediaId : null,
  });
  const fieldErrors: FieldErrors = {};
  if (!parsed.success) for (const i of parsed.error.issues) fieldErrors[String(i.path[0])] ??= i.message.startsWith('Invalid') ? 'Check this value.' : i.message;
  const labels = (input.linkLabels ?? []).map((x) => (typeof x === 'string' ? x.trim() : ''));
  const urls = (input.linkUrls ?? []).map((x) => (typeof x === 'string' ? x.trim() : ''));
  const links: ProfileFields['links'] = [];
  for (let i = 0; i < Math.max(labels.length, urls.length); i++) {
    const label = labels[i] ?? '';
    const url = urls[i] ?? '';
    if (!label && !url) continue;
    const field = `link${i}`;
    if (!label) fieldErrors[field] ??= 'Give this link a label (for example "Instagram").';
    else if (label.length > 40) fieldErrors[field] ??= 'A link label can be at most 40 characters.';
    const problem = url ? linkProblem(url) : 'Write the address of this link.';
    if (problem) fieldErrors[field] ??= problem;
    links.push({ label, url });
  }
  if (links.length > 8) fieldErrors.links = 'Show at most 8 links.';
  if (!parsed.success || Object.keys(fieldErrors).length > 0) return refuse('invalid', 'Some fields need a change before your profile can be saved.', fieldErrors);
  return { ok: true, fields: { ...parsed.data, links } };
}

export async function writeCreatorProfile(tx: DbOrTx, creatorId: number, fields: ProfileFields, now: number): Promise<void> {
  await tx
    .update(creators)
    .set({
      displayName: fields.displayName,
      bio: fields.bio,
      location: fields.location || null,
      avatarMediaId: fields.avatarMediaId,
      linksJson: JSON.stringify(fields.links),
      profileUpdatedAt: now,
    })
    .where(eq(creators.id, creatorId));
}

const toProfile = (r: typeof creators.$inferSelect): DbCreatorProfile => ({
  id: r.id,
  handle: r.handle,
  displayName: r.displayName,
  bio: r.bio ?? '',
  location: r.location ?? '',
  avatarMediaId: r.avatarMediaId,
  links: parseLinks(r.linksJson),
  profileUpdatedAt: r.profileUpdatedAt,
  createdAt: r.createdAt,
});

export async function getCreatorProfile(db: DbOrTx, creatorId: number): Promise<DbCreatorProfile | undefined> {
  const r = await db.select().from(creators).where(eq(creators.id, creatorId)).get();
  return r ? toProfile(r) : undefined;
}

/** Every creator as the public pages need them. */
export async function listCreatorProfiles(db: DbOrTx): Promise<DbCreatorProfile[]> {
  return (await db.select().from(creators)).map(toProfile);
}

function parseLinks(json: string | null): { label: string; url: string }[] {
  try {
    const v: unknown = JSON.parse(json ?? '[]');
    if (!Array.isArray(v)) return [];
    return v.filter((l): l is { label: string; url: string } => typeof l?.label === 'string' && typeof l?.url === 'string' && linkProblem(l.url) === null);
  } catch {
    return [];
  }
}
