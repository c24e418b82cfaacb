import { describe, expect, it } from 'vitest';
import {
  ledgerBalances,
  parsePayoutReference,
  payoutBatchCsv,
  planFingerprint,
  planPayouts,
  payoutCsvFilename,
  settlementStatus,
  type PayoutBatchDetail,
} from '../../../src/server/commissions/index.ts';
import { generateInviteToken, hashInviteToken, inviteState, inviteUrl, isInviteTokenShape, parseInviteForm } from '../../../src/server/commissions/index.ts';
import { couponFormDays, formatRatePercent, parseCouponForm, parseRatePercent, parseReferralCode, rateInputValue } from '../../../src/server/commissions/index.ts';
import { creatorInviteEmail } from '../../../src/server/mail/index.ts';

describe('settlement status', () => {
  it('is pending, approved, in payout or paid', () => {
    expect(settlementStatus({ availableAt: 100, payoutStatus: null }, 99)).toBe('pending');
    expect(settlementStatus({ availableAt: 100, payoutStatus: null }, 100)).toBe('approved');
    expect(settlementStatus({ availableAt: 100, payoutStatus: 'pending' }, 200)).toBe('in_payout');
    expect(settlementStatus({ availableAt: 100, payoutStatus: 'paid' }, 200)).toBe('paid');
  });

  it('buckets always add up to the ledger sum', () => {
    const entries = [
      { amountCents: 1000, availableAt: 10, payoutStatus: 'paid' as const },
      { amountCents: -300, availableAt: 10, payoutStatus: 'pending' as const },
      { amountCents: 700, availableAt: 10, payoutStatus: 'pending' as const },
      { amountCents: 250, availableAt: 10, payoutStatus: null },
      { amountCents: -50, availableAt: 10, payoutStatus: null },
      { amountCents: 999, availableAt: 50, payoutStatus: null },
    ];
    const b = ledgerBalances(entries, 20);
    expect(b).toEqual({ paidCents: 1000, inPayoutCents: 400, approvedCents: 200, pendingCents: 999 });
    expect(b.paidCents + b.inPayoutCents + b.approvedCents + b.pendingCents).toBe(entries.reduce((n, e) => n + e.amountCents, 0));
  });
});

describe('planPayouts', () => {
  const c = (creatorId: number, approvedCents: number) => ({ creatorId, approvedCents, entryCount: 1 });
  it('pays balances at or above the threshold, largest first', () => {
    expect(planPayouts([c(1, 2499), c(2, 2500), c(3, 9000), c(4, -100)], 2500).map((p) => p.creatorId)).toEqual([3, 2]);
  });
  it('never pays zero or a negative balance, even with a zero threshold', () => {
    expect(planPayouts([c(1, 0), c(2, -5), c(3, 1)], 0).map((p) => p.creatorId)).toEqual([3]);
  });
  it('fingerprints the plan, independent of order', () => {
    expect(planFingerprint([c(1, 100), c(2, 200)])).toBe(planFingerprint([c(2, 200), c(1, 100)]));
    expect(planFingerprint([c(1, 100)])).not.toBe(planFingerprint([c(1, 101)]));
    expect(planFingerprint([c(1, 100)])).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('payout reference', () => {
  it('is required, trimmed and bounded', () => {
    expect(parsePayoutReference('  TRF-2026-0001 ')).toEqual({ ok: true, reference: 'TRF-2026-0001' });
    expect(parsePayoutReference('').ok).toBe(false);
    expect(parsePayoutReference(null).ok).toBe(false);
    expect(parsePayoutReference('x'.repeat(101)).ok).toBe(false);
    expect(parsePayoutReference('a\u0000b').ok).toBe(false);
  });
});

describe('payout batch CSV', () => {
  const payout = {
    id: 3,
    creatorId: 1,
    handle: 'maya',
    displayName: 'Maya, "M" O.',
    email: 'maya@example.com',
    amountCents: 3050,
    entryCount: 4,
    status: 'paid' as const,
    reference: 'TRF1',
    createdAt: 0,
    paidAt: Date.UTC(2026, 2, 1),
  };
  const batch = (p: Partial<typeof payout>): PayoutBatchDetail => ({ id: 7, createdAt: 0, createdBy: 'admin:x', thresholdCents: 2500, totalCents: 3050, paidCents: 3050, payouts: [{ ...payout, ...p }] });

  it('writes a header and one CRLF row per payout, amounts as decimals, times in ISO', () => {
    const lines = payoutBatchCsv(batch({}), { currency: 'USD' }).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('batch_id,payout_id,creator_handle,creator_name,email,amount,currency,entries,status,reference,paid_at');
    expect(lines[1]).toBe('7,3,maya,"Maya, ""M"" O.",maya@example.com,30.50,USD,4,paid,TRF1,2026-03-01T00:00:00.000Z');
    expect(lines[2]).toBe('');
  });

  it.each(['=HYPERLINK("http://evil")', '+1', '-2+3', '@SUM(A1)', '\tx'])('neutralises formula-like text %j in names and references', (v) => {
    const row = payoutBatchCsv(batch({ displayName: v, reference: v }), { currency: 'USD' }).split('\r\n')[1]!;
    const cells = row.match(/"(?:[^"]|"")*"|[^,]+|(?<=,)(?=,)/g)!;
    expect(cells[3]!.replace(/^"/, '').startsWith("'")).toBe(true);
    expect(cells[9]!.replace(/^"/, '').startsWith("'")).toBe(true);
  });

  it('makes a safe file name', () => {
    expect(payoutCsvFilename('Lookbook', 7)).toBe('Lookbook-payout-batch-7.csv');
    expect(payoutCsvFilename('Café "Shop"/x', 7)).toBe('Caf-Shop-x-payout-batch-7.csv');
  });
});

describe('invite tokens', () => {
  it('are 160-bit base32 and only their SHA-256 is stored', () => {
    const { token, tokenHash } = generateInviteToken();
    expect(token).toMatch(/^[a-z2-7]{32}$/);
    expect(tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashInviteToken(token)).toBe(tokenHash);
    expect(tokenHash).not.toContain(token);
    expect(generateInviteToken().token).not.toBe(token);
  });

  it('known SHA-256 vector', () => {
    expect(hashInviteToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('rejects anything we could not have issued', () => {
    expect(isInviteTokenShape('a'.repeat(32))).toBe(true);
    for (const bad of ['', 'A'.repeat(32), 'a'.repeat(31), 'a'.repeat(33), '../etc/passwd', 'a'.repeat(31) + '1', null, 42]) expect(isInviteTokenShape(bad)).toBe(false);
  });

  it('state: open, expired at the instant, used wins', () => {
    expect(inviteState({ expiresAt: 100, acceptedAt: null }, 99)).toBe('open');
    expect(inviteState({ expiresAt: 100, acceptedAt: null }, 100)).toBe('expired');
    expect(inviteState({ expiresAt: 100, acceptedAt: 50 }, 200)).toBe('used');
  });

  it('builds the absolute link', () => {
    expect(inviteUrl('https://shop.example', 'abc')).toBe('https://shop.example/invite/abc');
  });
});

describe('invite form', () => {
  it('normalises email and handle', () => {
    expect(parseInviteForm({ email: ' Ana@Example.COM ', handle: '@Ana-Lee', displayName: ' Ana Lee ' })).toEqual({
      ok: true,
      value: { email: 'ana@example.com', handle: 'ana-lee', displayName: 'Ana Lee' },
    });
  });
  it('explains each bad field', () => {
    const r = parseInviteForm({ email: 'nope', handle: 'a', displayName: '<b>' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['displayName', 'email', 'handle']);
  });
});

describe('invite email', () => {
  const base = {
    shopName: 'Lookbook',
    locale: 'en-US',
    to: 'ana@example.com',
    displayName: '<script>alert(1)</script>',
    handle: 'ana',
    inviterName: 'Maya & Co',
    acceptUrl: 'https://shop.example/invite/abcdefghijklmnopqrstuvwxyz234567',
    expiresAt: Date.UTC(2026, 2, 17, 12),
  };
  it('has text and HTML with the link, escaped', () => {
    const e = creatorInviteEmail(base);
    expect(e.subject).toBe('Maya & Co invited you to Lookbook');
    expect(e.text).toContain(base.acceptUrl);
    expect(e.text).toContain('expires on March 17, 2026');
    expect(e.html).toContain(`href="${base.acceptUrl}"`);
    expect(e.html).not.toContain('<script>');
    expect(e.html).toContain('&lt;script&gt;');
    expect(e.html).toContain('Maya &amp; Co');
  });
  it('refuses a non-http link', () => {
    expect(() => creatorInviteEmail({ ...base, acceptUrl: 'javascript:alert(1)' })).toThrow(TypeError);
  });
});

describe('rates in percent', () => {
  it.each([
    ['12.5', 1250],
    ['12.5%', 1250],
    [' 10 % ', 1000],
    ['0', 0],
    ['0.01', 1],
    ['50', 5000],
    ['7.', 700],
  ])('%j → %i bps', (input, bps) => {
    expect(parseRatePercent(input)).toEqual({ ok: true, bps });
  });
  it.each(['abc', '-1', '12,5', '12.345', '50.01', '1e2', '100'])('refuses %j', (input) => {
    expect(parseRatePercent(input).ok).toBe(false);
  });
  it('empty means the default, unless required', () => {
    expect(parseRatePercent('')).toEqual({ ok: true, bps: null });
    expect(parseRatePercent('', { allowEmpty: false }).ok).toBe(false);
  });
  it('formats basis points back', () => {
    expect(formatRatePercent(1250)).toBe('12.5%');
    expect(formatRatePercent(1000)).toBe('10%');
    expect(formatRatePercent(1234)).toBe('12.34%');
    expect(formatRatePercent(5)).toBe('0.05%');
    expect(rateInputValue(1250)).toBe('12.5');
    expect(rateInputValue(null)).toBe('');
  });
});

describe('referral code', () => {
  it('is A–Z0–9, 3–16, upper-cased; empty clears it', () => {
    expect(parseReferralCode(' maya ')).toEqual({ ok: true, code: 'MAYA' });
    expect(parseReferralCode('')).toEqual({ ok: true, code: null });
    for (const bad of ['AB', 'A'.repeat(17), 'MAYA-1', 'MÄYA', 'MA YA']) expect(parseReferralCode(bad).ok).toBe(false);
  });
});

describe('personal code form', () => {
  const ok = { code: 'maya15', percentOff: '15', startsOn: '2026-03-01', endsOn: '2026-03-31', maxRedemptions: '', perEmailLimit: '1', active: 'on' };
  it('parses days in UTC, the end day included', () => {
    const r = parseCouponForm(ok);
    expect(r).toEqual({
      ok: true,
      value: { code: 'MAYA15', percentOff: 15, startsAt: Date.UTC(2026, 2, 1), endsAt: Date.UTC(2026, 3, 1), maxRedemptions: null, perEmailLimit: 1, active: true },
    });
    if (r.ok) expect(couponFormDays(r.value)).toEqual({ startsOn: '2026-03-01', endsOn: '2026-03-31' });
  });
  it('explains bad fields', () => {
    const r = parseCouponForm({ ...ok, code: 'x', percentOff: '0', endsOn: '2026-02-01', maxRedemptions: '-1' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['code', 'endsOn', 'maxRedemptions', 'percentOff']);
    const dates = parseCouponForm({ ...ok, endsOn: '2026-02-01' });
    expect(dates.ok).toBe(false);
    if (!dates.ok) expect(dates.errors.endsOn).toMatch(/before the start/);
    expect(parseCouponForm({ ...ok, startsOn: '2026-02-30' }).ok).toBe(false);
    expect(parseCouponForm({ ...ok, percentOff: '101' }).ok).toBe(false);
  });
});
