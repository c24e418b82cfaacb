/**
 * A random per-browser id (`lb_device`), used only for the help-cut per-device limit and stored
 * server-side only as a keyed hash (src/server/flows/cuts.ts). HttpOnly, a year.
 */
import type { AstroCookies } from 'astro';
import { shop } from './runtime.ts';

export const DEVICE_COOKIE = 'lb_device';
const PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function deviceId(cookies: AstroCookies): string {
  const have = cookies.get(DEVICE_COOKIE)?.value;
  if (have && PATTERN.test(have)) return have;
  const id = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
  cookies.set(DEVICE_COOKIE, id, { httpOnly: true, sameSite: 'lax', path: '/', secure: shop.secureCookies, maxAge: 365 * 86_400 });
  return id;
}
