/**
 * Page-side helpers for the bag: its cookie, the source check against content, form field reading.
 */
import type { AstroCookies } from 'astro';
import { shop } from './runtime.ts';
import { publishedPostLookup } from './content.ts';
import type { SourceCheck } from '../server/cart/index.ts';

export const BAG_COOKIE = 'lb_bag';
const BAG_MAX_AGE_S = 60 * 60 * 24 * 30;

export function bagId(cookies: AstroCookies): string | undefined {
  return cookies.get(BAG_COOKIE)?.value;
}

export function setBagCookie(cookies: AstroCookies, id: string): void {
  cookies.set(BAG_COOKIE, id, { httpOnly: true, sameSite: 'lax', path: '/', secure: shop.secureCookies, maxAge: BAG_MAX_AGE_S });
}

/**
 * A line's source must be a real card: the post exists and its card at that position shows the
 * product. Answers with the post's creator handle, which the bag stores for attribution.
 */
export async function contentSourceCheck(): Promise<SourceCheck> {
  const find = await publishedPostLookup();
  return (post, card, productSlug) => {
    const p = find(post);
    return p !== undefined && p.refs.some((r) => r.position === card && r.slug === productSlug) ? p.creator : false;
  };
}

/** Form fields as plain strings (files and repeated keys are not part of any of our forms). */
export async function formFields(request: Request): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const data = await request.formData();
  for (const [k, v] of data) if (typeof v === 'string' && !(k in out)) out[k] = v;
  return out;
}

/** Whether the caller asked for JSON (the enhanced add-to-bag script) rather than a page. */
export function wantsJson(request: Request): boolean {
  return (request.headers.get('accept') ?? '').includes('application/json');
}
