import { describe, expect, it } from 'vitest';
import {
  escapeHtml,
  html,
  orderConfirmationEmail,
  orderRefundedEmail,
  orderShippedEmail,
  safeHttpUrl,
  type OrderEmailData,
} from '../../../src/server/mail/index.ts';

const order = (over: Partial<OrderEmailData> = {}): OrderEmailData => ({
  shopName: 'Lookbook',
  number: 'LB-7KX4-M2QD',
  email: 'ada@example.com',
  currency: 'USD',
  locale: 'en-US',
  lines: [
    { title: 'Wool coat', variantLabel: 'Camel / M', qty: 2, unitPriceCents: 30000, subtotalCents: 60000 },
    { title: 'Cotton tee', variantLabel: '', qty: 1, unitPriceCents: 2900, subtotalCents: 2900 },
  ],
  subtotalCents: 62900,
  discountCents: 6290,
  shippingCents: 900,
  totalCents: 57510,
  shippingLabel: 'Standard, 3–5 days',
  shipTo: { name: 'Ada Lovelace', line1: '12 Marsh Lane', line2: 'Flat 3', city: 'Portland', region: 'OR', postcode: '97201', country: 'US' },
  orderUrl: 'https://shop.example/orders/LB-7KX4-M2QD?sig=abc&x=1',
  ...over,
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<script>alert("x") & 'y'</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot;) &amp; &#39;y&#39;&lt;/script&gt;');
    expect(escapeHtml('plain text')).toBe('plain text');
  });
  it('is applied to every interpolation of the html tag, but not to nested html', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${'<x>'}${inner}${['<a>', 1]}${null}${false}</p>`.value).toBe('<p>&lt;x&gt;<b>&lt;i&gt;</b>&lt;a&gt;1</p>');
  });
  it('accepts only absolute http(s) link targets', () => {
    expect(safeHttpUrl('https://a.example/x?y=1')).toBe('https://a.example/x?y=1');
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('/orders/1')).toBeNull();
    expect(safeHttpUrl(null)).toBeNull();
  });
});

describe('orderConfirmationEmail', () => {
  const mail = orderConfirmationEmail(order());

  it('names the order in the subject', () => {
    expect(mail.subject).toBe('Order LB-7KX4-M2QD confirmed — Lookbook');
  });

  it('has a text version that stands on its own', () => {
    const t = mail.text;
    expect(t).toContain('Order LB-7KX4-M2QD');
    expect(t).toContain('Wool coat (Camel / M)');
    expect(t).toContain('2 × $300.00 = $600.00');
    expect(t).toContain('- Cotton tee\n');
    expect(t).toMatch(/Subtotal:\s+\$629\.00/);
    expect(t).toMatch(/Discount:\s+-\$62\.90/);
    expect(t).toMatch(/Shipping \(Standard, 3–5 days\):\s+\$9\.00/);
    expect(t).toMatch(/Total:\s+\$575\.10/);
    expect(t).toContain('Ada Lovelace\n12 Marsh Lane\nFlat 3\nPortland, OR 97201\nUnited States');
    expect(t).toContain('https://shop.example/orders/LB-7KX4-M2QD?sig=abc&x=1');
    expect(t).not.toMatch(/<[a-z]/i);
  });

  it('has an HTML version with the same facts, links escaped', () => {
    const h = mail.html;
    expect(h.startsWith('<!doctype html>')).toBe(true);
    expect(h).toContain('LB-7KX4-M2QD');
    expect(h).toContain('Wool coat');
    expect(h).toContain('Camel / M');
    expect(h).toContain('$600.00');
    expect(h).toContain('$575.10');
    expect(h).toContain('-$62.90');
    expect(h).toContain('href="https://shop.example/orders/LB-7KX4-M2QD?sig=abc&amp;x=1"');
    expect(h).toContain('#fbfaf7'); // paper
    expect(h).toContain('Georgia'); // serif headings
    expect(h).not.toContain('<style');
    expect(h).not.toContain('<script');
  });

  it('omits a zero discount and calls zero shipping free', () => {
    const t = orderConfirmationEmail(order({ discountCents: 0, shippingCents: 0, totalCents: 62900 })).text;
    expect(t).not.toContain('Discount');
    expect(t).toMatch(/Shipping \(Standard, 3–5 days\):\s+Free/);
  });

  it('formats money in the order currency and locale', () => {
    const t = orderConfirmationEmail(order({ currency: 'EUR', locale: 'de-DE' })).text;
    expect(t).toMatch(/Total:\s+575,10\u00a0€/);
  });

  it('escapes user content — a script in a name or address stays text', () => {
    const evil = '<script>alert(1)</script>';
    const m = orderConfirmationEmail(
      order({ shipTo: { name: evil, line1: `"><img src=x onerror=alert(1)>`, city: 'A&B', postcode: '1', country: 'US' }, lines: [{ title: evil, variantLabel: evil, qty: 1, unitPriceCents: 1, subtotalCents: 1 }] }),
    );
    expect(m.html).not.toContain('<script>');
    expect(m.html).not.toContain('<img');
    expect(m.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(m.html).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(m.html).toContain('A&amp;B');
    // The text version is plain text: shown as typed.
    expect(m.text).toContain(`Thank you, ${evil}.`);
  });

  it('refuses a non-http order link (a bug, not input)', () => {
    expect(() => orderConfirmationEmail(order({ orderUrl: 'javascript:alert(1)' }))).toThrow(TypeError);
  });
});

describe('orderShippedEmail', () => {
  const mail = orderShippedEmail({ ...order(), carrier: 'UPS', trackingNumber: '1Z999AA10123456784', trackingUrl: 'https://ups.example/track?n=1Z999AA10123456784' });

  it('gives the carrier and tracking number in subject, text and HTML', () => {
    expect(mail.subject).toBe('Order LB-7KX4-M2QD has shipped — Lookbook');
    expect(mail.text).toContain('Carrier: UPS');
    expect(mail.text).toContain('Tracking number: 1Z999AA10123456784');
    expect(mail.text).toContain('Track the parcel: https://ups.example/track?n=1Z999AA10123456784');
    expect(mail.text).toContain('Wool coat (Camel / M)');
    expect(mail.html).toContain('1Z999AA10123456784');
    expect(mail.html).toContain('href="https://ups.example/track?n=1Z999AA10123456784"');
    expect(mail.html).toContain('UPS');
  });

  it('drops a tracking link that is not http(s) and escapes the tracking number', () => {
    const m = orderShippedEmail({ ...order(), carrier: 'DHL', trackingNumber: '<b>42</b>', trackingUrl: 'javascript:alert(1)' });
    expect(m.html).not.toContain('javascript:');
    expect(m.text).not.toContain('Track the parcel');
    expect(m.html).toContain('&lt;b&gt;42&lt;/b&gt;');
  });
});

describe('orderRefundedEmail', () => {
  it('describes a partial refund with the refunded lines', () => {
    const m = orderRefundedEmail({
      ...order(),
      refundedCents: 27000,
      refundedLines: [{ title: 'Wool coat', variantLabel: 'Camel / M', qty: 1, refundedCents: 27000 }],
    });
    expect(m.subject).toBe('Partial refund for order LB-7KX4-M2QD — Lookbook');
    expect(m.text).toContain('We have refunded $270.00');
    expect(m.text).toContain('- Wool coat (Camel / M) × 1: $270.00');
    expect(m.text).toContain('Refunded so far: $270.00 of $575.10.');
    expect(m.html).toContain('$270.00');
    expect(m.html).toContain('This refund covers');
  });

  it('says so when the order is refunded in full', () => {
    const m = orderRefundedEmail({ ...order(), refundedCents: 30510, totalRefundedCents: 57510, refundedLines: [] });
    expect(m.subject).toBe('Order LB-7KX4-M2QD refunded — Lookbook');
    expect(m.text).toContain('refunded in full ($575.10 of $575.10)');
    expect(m.text).not.toContain('This refund covers');
    expect(m.html).not.toContain('This refund covers');
  });
});
