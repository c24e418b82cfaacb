/**
 * The rules of a studio post that need no database: slugs, the front matter a draft may hold and
 * the stricter one a publish needs, and which revision readers see at a given time
 * (docs/decisions/0038-studio-posts.md).
 */
import { z } from 'zod';
import { refuse, slugFromText, type FieldErrors, type Result } from '../shared/index.ts';
import type { PostKind } from './posts.ts';

/** 2–80 characters: lowercase letters, digits and single dashes, not starting or ending with one. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){1,79}$/;
/** Addresses a post may not take: they are, or may become, other pages. */
const RESERVED_SLUGS = new Set(['new', 'page', 'index', 'feed', 'rss', 'drafts', 'preview', 'studio', 'edit']);

/**
 * @example slugify('Crème brûlée & linen — summer!') // 'creme-brulee-linen-summer'
 */
export function slugify(title: string): string {
  return slugFromText(title);
}

/** The message for a slug that cannot be used, or null when its shape is fine. */
export function slugProblem(slug: string): string | null {
  if (slug.length < 2 || slug.length > 80) return 'The address needs 2 to 80 characters.';
  if (!SLUG_PATTERN.test(slug)) return 'Use lowercase letters, digits and single dashes in the address (for example "autumn-layers").';
  if (RESERVED_SLUGS.has(slug)) return `"${slug}" is kept for another page; choose another address.`;
  return null;
}

export const POST_KINDS = ['look', 'guide', 'review'] as const satisfies readonly PostKind[];

/** What a draft holds. A draft may be unfinished; `publishProblems` says what a publish still needs. */
export interface DraftFields {
  title: string;
  slug: string;
  summary: string;
  kind: PostKind;
  tags: string[];
  heroMediaId: string | null;
  heroAlt: string;
  body: string;
}

const MEDIA_ID = /^[A-Za-z0-9_-]{8,40}$/;
const text = (max: number, label: string) =>
  z
    .string({ error: `${label} must be text.` })
    .transform((s) => s.replace(/\r\n?/g, '\n').trim())
    .pipe(z.string().max(max, `${label} can be at most ${max} characters.`));

const draftSchema = z.object({
  title: text(120, 'The title'),
  slug: z.string({ error: 'The address must be text.' }).transform((s) => s.trim().toLowerCase()),
  summary: text(300, 'The summary'),
  kind: z.enum(POST_KINDS, { error: 'Choose look, styling guide or review.' }),
  tags: z
    .union([z.string(), z.array(z.string())], { error: 'Tags must be text.' })
    .transform((t) => (Array.isArray(t) ? t : t.split(',')).map((x) => x.trim().replace(/\s+/g, ' ')).filter(Boolean))
    .pipe(
      z
        .array(z.string().max(30, 'Each tag can be at most 30 characters.'))
        .max(10, 'Use at most 10 tags.')
        .transform((t) => [...new Set(t)]),
    ),
  heroMediaId: z
    .union([z.string(), z.null()])
    .transform((s) => (s === null || s.trim() === '' ? null : s.trim()))
    .refine((s) => s === null || MEDIA_ID.test(s), 'Upload the cover image again.'),
  heroAlt: text(200, 'The image description'),
  body: z.string({ error: 'The post must be text.' }).transform((s) => s.replace(/\r\n?/g, '\n')),
});

/**
 * The draft fields from a form or an autosave, each problem next to its field.
 * An empty slug is derived from the title.
 */
export function parseDraftFields(input: Record<string, unknown>): Result<{ fields: DraftFields }, 'invalid'> {
  const parsed = draftSchema.safeParse({
    title: input.title ?? '',
    slug: input.slug ?? '',
    summary: input.summary ?? '',
    kind: input.kind ?? 'look',
    tags: input.tags ?? '',
    heroMediaId: input.heroMediaId ?? null,
    heroAlt: input.heroAlt ?? '',
    body: input.body ?? '',
  });
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'form');
      fieldErrors[field] ??= issue.message.startsWith('Invalid') ? 'Check this value.' : issue.message;
    }
    return refuse('invalid', 'Some fields need a change before this draft can be saved.', fieldErrors);
  }
  const fields = parsed.data;
  if (fields.slug === '') fields.slug = slugify(fields.title);
  const problem = fields.slug === '' ? null : slugProblem(fields.slug);
  if (problem) return refuse('invalid', problem, { slug: problem });
  return { ok: true, fields };
}

/** What a publish needs beyond a valid draft: a real title, summary, cover image and its description. */
export function publishProblems(fields: DraftFields): FieldErrors {
  const out: FieldErrors = {};
  if (fields.title.length < 4) out.title = 'Give the post a title of at least 4 characters.';
  if (fields.slug === '') out.slug = 'Give the post an address (or a title to make one from).';
  if (fields.summary.length < 20) out.summary = 'Write a summary of at least 20 characters — it shows under the title and in shares.';
  if (!fields.heroMediaId) out.heroMediaId = 'Upload a cover image.';
  if (fields.heroMediaId && fields.heroAlt.length < 8) out.heroAlt = 'Describe the cover image for people who cannot see it (at least 8 characters).';
  if (fields.body.trim().length === 0) out.body = 'Write the post before publishing it.';
  return out;
}

/** The columns of a post row the reader view depends on. */
export interface PublishState {
  liveRevisionId: number | null;
  firstPublishedAt: number | null;
  unpublishedAt: number | null;
  scheduledRevisionId: number | null;
  scheduledFor: number | null;
}

/**
 * The revision readers see at `now`, decided where read (no sweeper): a schedule that has come due
 * wins; otherwise the live revision unless the post was unpublished.
 * @example readerRevision({ liveRevisionId: 3, firstPublishedAt: 1, unpublishedAt: null, scheduledRevisionId: null, scheduledFor: null }, 2) // { revisionId: 3, publishedAt: 1 }
 */
export function readerRevision(p: PublishState, now: number): { revisionId: number; publishedAt: number } | null {
  if (p.scheduledRevisionId !== null && p.scheduledFor !== null && p.scheduledFor <= now) {
    return { revisionId: p.scheduledRevisionId, publishedAt: p.firstPublishedAt ?? p.scheduledFor };
  }
  if (p.liveRevisionId !== null && p.unpublishedAt === null && p.firstPublishedAt !== null) {
    return { revisionId: p.liveRevisionId, publishedAt: p.firstPublishedAt };
  }
  return null;
}

/**
 * The state after a due schedule took effect: what every write starts from, so a schedule that
 * came due is never lost by a later edit.
 */
export function settled<T extends PublishState>(p: T, now: number): T {
  if (p.scheduledRevisionId === null || p.scheduledFor === null || p.scheduledFor > now) return p;
  return {
    ...p,
    liveRevisionId: p.scheduledRevisionId,
    firstPublishedAt: p.firstPublishedAt ?? p.scheduledFor,
    unpublishedAt: null,
    scheduledRevisionId: null,
    scheduledFor: null,
  };
}

export type StudioStatus = 'draft' | 'scheduled' | 'published' | 'unpublished';

export const STATUS_LABEL: Record<StudioStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  published: 'Published',
  unpublished: 'Unpublished',
};

/** The status the studio list shows. A published post with an edit scheduled stays "Published". */
export function studioStatus(p: PublishState, now: number): StudioStatus {
  if (readerRevision(p, now)) return 'published';
  if (p.scheduledFor !== null && p.scheduledFor > now) return 'scheduled';
  if (p.firstPublishedAt !== null) return 'unpublished';
  return 'draft';
}

/**
 * When a schedule may be set: in the future, within a year.
 * @example scheduleProblem(Date.now() - 1, Date.now()) // 'Choose a time in the future.'
 */
export function scheduleProblem(at: number, now: number): string | null {
  if (!Number.isFinite(at)) return 'Choose a date and time.';
  if (at <= now) return 'Choose a time in the future.';
  if (at > now + 366 * 86_400_000) return 'Schedule at most a year ahead.';
  return null;
}
