/**
 * Who may open which area — pure, so the middleware stays a thin adapter and the rules are
 * unit-tested (tests/unit/auth/access.test.ts).
 *
 * - `/admin` and everything under it: admins.
 * - `/dashboard` and everything under it: creators; admins may look too (the page says it is the
 *   creator view), because supporting creators means seeing what they see.
 * - `/studio` and everything under it: creators and admins; which posts, profile and uploads a
 *   user may touch is decided per item by src/server/content/studio-access.ts (ownership).
 * - `/dev/mail` (the outbox viewer, while no SMTP server is configured): admins only. Every email
 *   is there — buyers' signed order links, creator invitations — so it is as sensitive as the admin.
 * - `/account` and everything under it: any signed-in person (readers' orders, addresses, groups
 *   and bargains); without a session it leads to the reader sign-in (an email link), not the staff one.
 * - Everything else is public.
 */
import { paths } from '../shared/index.ts';
import type { Role, SessionUser } from './types.ts';

export type Area = 'admin' | 'dashboard' | 'studio' | 'mailbox' | 'account';

const AREAS: { area: Area; prefix: string; roles: readonly Role[] }[] = [
  { area: 'admin', prefix: '/admin', roles: ['admin'] },
  { area: 'dashboard', prefix: '/dashboard', roles: ['creator', 'admin'] },
  { area: 'studio', prefix: '/studio', roles: ['creator', 'admin'] },
  { area: 'mailbox', prefix: '/dev/mail', roles: ['admin'] },
  { area: 'account', prefix: '/account', roles: ['reader', 'creator', 'admin'] },
];

/**
 * The guarded area a path belongs to, if any. Matches whole segments (`/admin`, `/admin/…`, not
 * `/administrator`), after percent-decoding and case-folding, so `/%61dmin` or `/ADMIN` cannot
 * slip past the guard into a route the router would still match.
 */
export function areaFor(pathname: string): { area: Area; roles: readonly Role[] } | null {
  let path = pathname;
  try {
    path = decodeURIComponent(pathname);
  } catch {
    // Malformed escapes: match on the raw path; the router will not find a page for it either.
  }
  path = path.toLowerCase().replace(/\/{2,}/g, '/');
  for (const a of AREAS) {
    if (path === a.prefix || path.startsWith(`${a.prefix}/`)) return { area: a.area, roles: a.roles };
  }
  return null;
}

export type AccessDecision =
  | { kind: 'allow' }
  | { kind: 'login'; location: string }
  | { kind: 'forbidden'; area: Area; roles: readonly Role[] };

/**
 * @example decideAccess(null, '/admin/orders', '?page=2') // { kind: 'login', location: '/login?next=%2Fadmin%2Forders%3Fpage%3D2' }
 */
export function decideAccess(user: Pick<SessionUser, 'role'> | null, pathname: string, search = ''): AccessDecision {
  const area = areaFor(pathname);
  if (!area) return { kind: 'allow' };
  if (!user) return { kind: 'login', location: area.area === 'account' ? paths.signIn(pathname + search) : paths.login(pathname + search) };
  if (!area.roles.includes(user.role)) return { kind: 'forbidden', area: area.area, roles: area.roles };
  return { kind: 'allow' };
}

/** Where a user lands after signing in when no `next` was asked for. */
export function homePathFor(role: Role): string {
  return role === 'admin' ? paths.admin() : role === 'reader' ? paths.account() : paths.dashboard();
}
