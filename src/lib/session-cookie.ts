/**
 * The session cookie, in one place: name and attributes (ADR 0004).
 * HttpOnly (scripts never see the token), SameSite=Lax (with Astro's checkOrigin, the CSRF defence),
 * Path=/, Secure when SECURE_COOKIES is set (production behind HTTPS), Max-Age = time to expiry.
 */
import type { AstroCookies } from 'astro';
import { shop } from './runtime.ts';

export const SESSION_COOKIE = 'lb_session';

export function setSessionCookie(cookies: AstroCookies, token: string, expiresAt: number, now: number = Date.now()): void {
  cookies.set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: shop.secureCookies,
    maxAge: Math.max(0, Math.floor((expiresAt - now) / 1000)),
  });
}

export function clearSessionCookie(cookies: AstroCookies): void {
  cookies.delete(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/', secure: shop.secureCookies });
}
