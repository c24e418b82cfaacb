import { describe, expect, it } from 'vitest';
import {
  adminOrderHref,
  adminOrdersHref,
  compactOrderNumberSearch,
  parseAdminOrderQuery,
  parseRefundForm,
  refundFormFields,
} from '../../../src/server/orders/index.ts';
import { cancelSummary, refundSummary } from '../../../src/server/orders/index.ts';

const parse = (qs: string) => parseAdminOrderQuery(new URLSearchParams(qs));
const form = (entries: [string, string][]) => {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
};

describe('parseAdminOrderQuery', () => {
  it('defaults to page 1 with no filters', () => {
    expect(parse('')).toEqual({ ok: true, query: { page: 1 } });
    expect(parse('status=&from=&to=&q=+&page=')).toEqual({ ok: true, query: { page: 1 } });
  });

  it('reads status, dates (UTC days, "to" inclusive), search text and page', () => {
    const r = parse('status=paid&from=2026-03-01&to=2026-03-31&q=+LB-7kx4+&page=3');
    expect(r).toEqual({
      ok: true,
      query: {
        status: 'paid',
        from: '2026-03-01',
        fromMs: Date.UTC(2026, 2, 1),
        to: '2026-03-31',
        toMs: Date.UTC(2026, 3, 1),
        q: 'LB-7kx4',
        page: 3,
      },
    });
  });

  it('allows from and to on the same day', () => {
    const r = parse('from=2026-03-05&to=2026-03-05');
    expect(r.ok && r.query.toMs! - r.query.fromMs!).toBe(86_400_000);
  });

  it.each([
    ['status=shipping', 'status', 'Payment must be one of: pending, paid, canceled'],
    ['fulfilment=sent', 'fulfilment', 'Fulfilment must be one of: unfulfilled, partial, shipped'],
    ['view=all', 'view', 'View must be “to-ship” or left out'],
    ['from=03/01/2026', 'from', 'From date must be a date like 2026-03-31'],
    ['to=2026-02-30', 'to', 'To date is not a real calendar date'],
    ['from=2026-04-01&to=2026-03-01', 'from', 'From date must not be after the “to” date'],
    ['page=0', 'page', 'Page must be 1 or more'],
    ['page=two', 'page', 'Page must be a page number'],
    ['page=999999', 'page', 'Page must be a page number'],
    [`q=${'x'.repeat(101)}`, 'q', 'Search must be at most 100 characters'],
  ])('refuses %s with a clear message', (qs, field, message) => {
    const r = parse(qs);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors[0]!.field).toBe(field);
    expect(r.errors[0]!.message).toContain(message);
  });

  it('reports every bad field at once', () => {
    const r = parse('status=nope&page=-1');
    expect(r.ok ? [] : r.errors.map((e) => e.field).sort()).toEqual(['page', 'status']);
  });
});

describe('compactOrderNumberSearch', () => {
  it('ignores case, spaces and dashes', () => {
    expect(compactOrderNumberSearch('lb-7kx4-m2qd')).toBe('LB7KX4M2QD');
    expect(compactOrderNumberSearch('LB 7KX4 M2QD')).toBe('LB7KX4M2QD');
    expect(compactOrderNumberSearch('7kx4')).toBe('7KX4');
  });
  it('is null for text that cannot be part of an order number (an email, say)', () => {
    expect(compactOrderNumberSearch('ada@example.com')).toBeNull();
    expect(compactOrderNumberSearch('x')).toBeNull();
  });
});

describe('admin order links', () => {
  it('round-trips a query, dropping page 1', () => {
    const r = parse('status=paid&from=2026-03-01&q=ada&page=1');
    expect(r.ok && adminOrdersHref(r.query)).toBe('/admin/orders?status=paid&from=2026-03-01&q=ada');
    expect(r.ok && adminOrdersHref({ ...r.query, page: 2 })).toBe('/admin/orders?status=paid&from=2026-03-01&q=ada&page=2');
    expect(adminOrdersHref({})).toBe('/admin/orders');
  });
  it('builds the detail link', () => {
    expect(adminOrderHref('LB-7KX4-M2QD')).toBe('/admin/orders/LB-7KX4-M2QD');
    expect(adminOrderHref('LB-7KX4-M2QD', { done: 'shipped' })).toBe('/admin/orders/LB-7KX4-M2QD?done=shipped');
  });
});

describe('parseRefundForm', () => {
  it('reads "refund everything" with or without restock', () => {
    expect(parseRefundForm(form([['mode', 'all'], ['restock', '1']]), [1, 2])).toEqual({ ok: true, request: 'all', restock: true });
    expect(parseRefundForm(form([['mode', 'all']]), [1, 2])).toEqual({ ok: true, request: 'all', restock: false });
  });

  it('reads a quantity per line, skipping empty and zero', () => {
    const r = parseRefundForm(form([['mode', 'lines'], ['qty-1', '2'], ['qty-2', '0'], ['qty-3', ''], ['restock', 'on']]), [1, 2, 3]);
    expect(r).toEqual({ ok: true, request: [{ lineId: 1, qty: 2 }], restock: true });
  });

  it('ignores fields for lines that are not on the order', () => {
    const r = parseRefundForm(form([['qty-1', '1'], ['qty-99', '5']]), [1]);
    expect(r).toEqual({ ok: true, request: [{ lineId: 1, qty: 1 }], restock: false });
  });

  it.each(['-1', '1.5', 'two', '1e2', '1000'])('refuses the quantity %s', (qty) => {
    const r = parseRefundForm(form([['qty-1', qty]]), [1]);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0]).toMatchObject({ field: 'qty-1' });
  });

  it('asks for at least one item', () => {
    const r = parseRefundForm(form([['qty-1', '0']]), [1]);
    expect(!r.ok && r.errors[0]!.message).toMatch(/at least one item/);
  });

  it('turns back into the hidden fields of the confirmation step', () => {
    expect(refundFormFields('all', true)).toEqual([['mode', 'all'], ['restock', '1']]);
    expect(refundFormFields([{ lineId: 4, qty: 2 }], false)).toEqual([['qty-4', '2']]);
    const again = parseRefundForm(form(refundFormFields([{ lineId: 4, qty: 2 }, { lineId: 5, qty: 1 }], true)), [4, 5]);
    expect(again).toEqual({ ok: true, request: [{ lineId: 4, qty: 2 }, { lineId: 5, qty: 1 }], restock: true });
  });
});

describe('confirmation sentences', () => {
  const fmt = (c: number) => `$${(c / 100).toFixed(2)}`;
  it('says what a refund will do', () => {
    expect(refundSummary({ lines: 2, amountCents: 8400, includesShipping: false, restock: true }, fmt)).toBe('Refund 2 lines, $84.00, and restock');
    expect(refundSummary({ lines: 1, amountCents: 5495, includesShipping: true, restock: false }, fmt)).toBe(
      'Refund 1 line and shipping, $54.95, without restocking',
    );
  });
  it('says what a cancelation will do', () => {
    expect(cancelSummary({ kind: 'release', units: 1 }, fmt)).toBe('Cancel the order and release the 1 item held for it. No payment has been taken.');
    expect(cancelSummary({ kind: 'refund', amountCents: 10395, units: 3 }, fmt)).toBe('Cancel the order, refund $103.95 in full, and return 3 items to stock.');
  });
});
