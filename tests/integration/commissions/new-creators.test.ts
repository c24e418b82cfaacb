/**
 * A new creator has what the dashboard and the profile link promise from the day they join: a
 * referral code, a personal discount code, and a public page at /creators/<handle> rendered from
 * their database row when there is no profile file yet.
 */
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadRenderers } from 'astro:container';
import { getContainerRenderer } from '@astrojs/react/container-renderer';
import { eq } from 'drizzle-orm';
import type { Db } from '../../../src/server/db.ts';
import { createTestDb } from '../../helpers/db.ts';
import { coupons, creators } from '../../../db/schema/index.ts';
import { acceptInvite, createCreatorInvite, type InviteMailContext } from '../../../src/server/commissions/index.ts';
import { ensureCreatorCodes, referralCodeCandidates } from '../../../src/server/commissions/index.ts';
import { publicCreatorByHandle } from '../../../src/server/commissions/index.ts';
import { creatorSummary } from '../../../src/server/commissions/index.ts';

const runtime = vi.hoisted(() => ({ db: undefined as unknown }));
vi.mock('../../../src/lib/runtime.ts', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../../../src/lib/runtime.ts')>()),
  getDb: async () => runtime.db,
}));

const T0 = Date.UTC(2026, 0, 15, 12);
const MAIL: InviteMailContext = { shopName: 'Lookbook', locale: 'en-US', siteUrl: 'https://shop.example' };
let db: Db;

async function join(handle: string, displayName: string): Promise<number> {
  const inv = await createCreatorInvite(db, { fields: { email: `${handle}@example.com`, handle, displayName }, inviterCreatorId: null, invitedBy: 'admin:ops@lookbook.test', mail: MAIL, now: T0 });
  if (!inv.ok) throw new Error(inv.message);
  const acc = await acceptInvite(db, { token: inv.token, password: 'a long enough password', now: T0 });
  if (!acc.ok) throw new Error(acc.message);
  return acc.creatorId;
}

beforeAll(async () => {
  db = await createTestDb();
  runtime.db = db;
});
afterAll(() => db.$client.close());

describe('codes on creation', () => {
  it('an accepted invitee has a referral code and a personal 15% code at once', async () => {
    const id = await join('lena-park', 'Lena Park');
    const s = await creatorSummary(db, id);
    expect(s?.referralCode).toBe('LENA');
    expect(s?.codes).toEqual([{ code: 'LENA15', label: '15% off', active: true }]);
    const coupon = await db.select().from(coupons).where(eq(coupons.code, 'LENA15')).get();
    expect(coupon).toMatchObject({ creatorId: id, kind: 'percent', percentOff: 15, perEmailLimit: 1 });
  });

  it('never takes a code someone has (a referral code or any coupon, shop codes included)', async () => {
    await db.insert(coupons).values({ code: 'LENAKIM15', kind: 'percent', percentOff: 10, createdAt: T0 });
    const id = await join('lena-kim', 'Lena Kim');
    const s = await creatorSummary(db, id);
    // LENA is taken by Lena Park; LENAKIM's personal code LENAKIM15 is a shop code: the next free pair.
    expect(s?.referralCode).toBe('LENA2');
    expect(s?.codes.map((c) => c.code)).toEqual(['LENA215']);
  });

  it('leaves existing codes alone and is safe to run again', async () => {
    const [c] = await db.insert(creators).values({ handle: 'sol', displayName: 'Sol', createdAt: T0, referralCode: 'SUNNY' }).returning({ id: creators.id });
    expect(await ensureCreatorCodes(db, c!.id, T0)).toEqual({ referralCode: 'SUNNY', personalCode: 'SUNNY15' });
    expect(await ensureCreatorCodes(db, c!.id, T0)).toEqual({ referralCode: 'SUNNY', personalCode: 'SUNNY15' });
    expect((await db.select().from(coupons).where(eq(coupons.creatorId, c!.id))).length).toBe(1);
  });

  it('makes codes of 3–16 letters and digits from any handle', () => {
    for (const h of ['al', 'x', 'maya-okafor', 'a-very-long-handle-indeed-for-sure', '9-lives']) {
      for (const code of referralCodeCandidates(h).slice(0, 3)) expect(code).toMatch(/^[A-Z0-9]{3,16}$/);
    }
  });
});

describe('public profile from day one', () => {
  it('the creator row is the profile until a profile file exists', async () => {
    expect(await publicCreatorByHandle(db, 'lena-park')).toMatchObject({ handle: 'lena-park', displayName: 'Lena Park' });
    expect(await publicCreatorByHandle(db, 'nobody-here')).toBeNull();
    expect(await publicCreatorByHandle(db, '../etc')).toBeNull();
  });

  it('/creators/<handle> answers 200 with the name for a new creator, 404 for an unknown handle', async () => {
    // The header's bag drawer is a React island on the site's own `client:bag` directive.
    const container = await AstroContainer.create({
      renderers: await loadRenderers([getContainerRenderer()]),
      manifest: { clientDirectives: new Map([['visible', '(()=>{})'], ['bag', '(()=>{})']]) },
    } as Parameters<typeof AstroContainer.create>[0]);
    const { default: Page } = await import('../../../src/pages/creators/[handle].astro');
    const page = await container.renderToResponse(Page, { params: { handle: 'lena-park' }, request: new Request('http://127.0.0.1/creators/lena-park'), locals: { user: null, session: null } as never });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<h1[^>]*>Lena Park<\/h1>/);
    expect(html).toContain('No posts yet.');
    const missing = await container.renderToResponse(Page, { params: { handle: 'nobody-here' }, request: new Request('http://127.0.0.1/creators/nobody-here'), locals: { user: null, session: null } as never });
    expect(missing.status).toBe(404);
  });
});
