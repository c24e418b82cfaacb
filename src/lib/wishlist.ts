/**
 * Page-side glue for wishlists: the guest list cookie (`lb_saved`, HttpOnly, only the list's random
 * id — the items live on the server) and who owns the list being shown (docs/decisions/0053-wishlists-alerts-boards.md).
 * Same attributes as the bag and session cookies (src/lib/bag.ts, session-cookie.ts).
 */
import type { AstroCookies } from 'astro';
import { shop } from './runtime.ts';
import { LIST_ID_PATTERN } from '../server/wishlist/index.ts';

export const SAVED_COOKIE = 'lb_saved';
const SAVED_MAX_AGE_S = 60 * 60 * 24 * 180;

/** The guest list id in this browser, if it looks like one (the server checks it exists). */
export function guestListId(cookies: AstroCookies): string | null {
  const v = cookies.get(SAVED_COOKIE)?.value;
  return v && LIST_ID_PATTERN.test(v) ? v : null;
}

export function setGuestListCookie(cookies: AstroCookies, id: string): void {
  cookies.set(SAVED_COOKIE, id, { httpOnly: true, sameSite: 'lax', path: '/', secure: shop.secureCookies, maxAge: SAVED_MAX_AGE_S });
}

/** After the guest list merged into an account on sign-in. */
export function clearGuestListCookie(cookies: AstroCookies): void {
  cookies.delete(SAVED_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/', secure: shop.secureCookies });
}
