import { describe, expect, it } from 'vitest';
import { areaFor, decideAccess, homePathFor } from '../../../src/server/auth/index.ts';

const admin = { role: 'admin' as const };
const creator = { role: 'creator' as const };

describe('areaFor', () => {
  it.each(['/admin', '/admin/', '/admin/orders', '/admin/orders/12', '/ADMIN', '/%61dmin/x', '/admin//x'])('guards %s as admin', (p) => {
    expect(areaFor(p)?.area).toBe('admin');
  });

  it.each(['/dashboard', '/dashboard/', '/dashboard/earnings', '/Dashboard'])('guards %s as dashboard', (p) => {
    expect(areaFor(p)?.area).toBe('dashboard');
  });

  it.each(['/dev/mail', '/dev/mail/', '/dev/mail/12', '/DEV/Mail', '/dev/%6Dail/3', '/dev//mail'])('guards %s as the mailbox', (p) => {
    expect(areaFor(p)?.area).toBe('mailbox');
  });

  it.each(['/', '/login', '/dev', '/dev/mailbox', '/administrator', '/admins', '/posts/admin', '/dashboards', '/shop', '/%E0%A4%A'])('leaves %s public', (p) => {
    expect(areaFor(p)).toBeNull();
  });
});

describe('decideAccess', () => {
  it('sends anonymous visitors of guarded areas to the login with next=path+query', () => {
    expect(decideAccess(null, '/admin/orders', '?page=2')).toEqual({ kind: 'login', location: '/login?next=%2Fadmin%2Forders%3Fpage%3D2' });
    expect(decideAccess(null, '/dashboard')).toEqual({ kind: 'login', location: '/login?next=%2Fdashboard' });
  });

  it('lets anyone through public pages', () => {
    expect(decideAccess(null, '/')).toEqual({ kind: 'allow' });
    expect(decideAccess(creator, '/posts/x')).toEqual({ kind: 'allow' });
  });

  it('lets admins into /admin and creators into /dashboard', () => {
    expect(decideAccess(admin, '/admin')).toEqual({ kind: 'allow' });
    expect(decideAccess(creator, '/dashboard/earnings')).toEqual({ kind: 'allow' });
  });

  it('lets an admin see the creator dashboard', () => {
    expect(decideAccess(admin, '/dashboard')).toEqual({ kind: 'allow' });
  });

  it('forbids creators in the admin', () => {
    expect(decideAccess(creator, '/admin')).toMatchObject({ kind: 'forbidden', area: 'admin' });
    expect(decideAccess(creator, '/%61dmin/products')).toMatchObject({ kind: 'forbidden', area: 'admin' });
  });
});

describe('the dev mailbox (every email: signed order links, invitations)', () => {
  it('sends anonymous visitors to the login', () => {
    expect(decideAccess(null, '/dev/mail')).toEqual({ kind: 'login', location: '/login?next=%2Fdev%2Fmail' });
    expect(decideAccess(null, '/dev/mail/7')).toEqual({ kind: 'login', location: '/login?next=%2Fdev%2Fmail%2F7' });
  });

  it('is for admins only: creators are forbidden', () => {
    expect(decideAccess(admin, '/dev/mail/7')).toEqual({ kind: 'allow' });
    expect(decideAccess(creator, '/dev/mail')).toMatchObject({ kind: 'forbidden', area: 'mailbox', roles: ['admin'] });
  });
});

describe('homePathFor', () => {
  it('sends admins to /admin, creators to /dashboard and readers to /account', () => {
    expect(homePathFor('admin')).toBe('/admin');
    expect(homePathFor('creator')).toBe('/dashboard');
    expect(homePathFor('reader')).toBe('/account');
  });
});

describe('reader accounts', () => {
  const reader = { role: 'reader' as const };
  it('sends a signed-out visitor of /account to the email-link sign-in, not the staff one', () => {
    expect(decideAccess(null, '/account')).toEqual({ kind: 'login', location: '/sign-in?next=%2Faccount' });
    expect(decideAccess(null, '/ACCOUNT/x')).toEqual({ kind: 'login', location: '/sign-in?next=%2FACCOUNT%2Fx' });
  });
  it('lets every signed-in role open /account', () => {
    for (const role of ['reader', 'creator', 'admin'] as const) expect(decideAccess({ role }, '/account')).toEqual({ kind: 'allow' });
  });
  it('keeps readers out of the admin, the dashboard, the studio and the mailbox', () => {
    for (const path of ['/admin', '/admin/orders', '/dashboard', '/studio/posts/1', '/dev/mail']) {
      expect(decideAccess(reader, path)).toMatchObject({ kind: 'forbidden' });
    }
  });
  it('leaves the sign-in pages public', () => {
    expect(decideAccess(null, '/sign-in')).toEqual({ kind: 'allow' });
    expect(decideAccess(null, '/sign-in/abc.def')).toEqual({ kind: 'allow' });
  });
});
