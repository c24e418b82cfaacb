/**
 * The wishlist alert email ("It's back in your size", "The price dropped"): a pure function from
 * alert data to `{ subject, text, html }`, in the frame and with the escaping of the order emails
 * (templates.ts). Two links, both carrying the alert's one token (stored hashed): the alert page,
 * which buys with the credit the alert was set from, and the unsubscribe page, which works
 * without signing in (docs/decisions/0053-wishlists-alerts-boards.md).
 */
import { C, emailDocument, html, SANS, SERIF, safeHttpUrl, type RenderedEmail } from './templates.ts';

export const ALERT_EMAIL_KIND = 'wishlist_alert';

export interface AlertEmailData {
  shopName: string;
  to: string;
  kind: 'restock' | 'price_drop';
  productName: string;
  brand: string;
  /** "Camel / M" for a restocked size. */
  variantLabel: string | null;
  /** Formatted prices: now, and (price drop) the one seen when the alert was set. */
  priceNow: string;
  priceWas: string | null;
  /** Absolute http(s) links. */
  alertUrl: string;
  unsubscribeUrl: string;
}

/**
 * @example alertEmail({ shopName: 'Lookbook', to: 'ana@example.com', kind: 'restock', productName: 'Wool Coat', brand: 'Field',
 *   variantLabel: 'M', priceNow: '$120.00', priceWas: null, alertUrl: 'https://shop.example/alerts/t', unsubscribeUrl: 'https://shop.example/alerts/t/unsubscribe' })
 */
export function alertEmail(d: AlertEmailData): RenderedEmail {
  const open = safeHttpUrl(d.alertUrl);
  const stop = safeHttpUrl(d.unsubscribeUrl);
  // The links are built by the app, never typed by a person: anything else is a bug.
  if (!open || !stop) throw new TypeError('alertEmail: links must be absolute http(s) URLs');
  const item = `${d.productName}${d.variantLabel ? ` (${d.variantLabel})` : ''}`;
  const subject = d.kind === 'restock' ? `Back in stock: ${item}` : `Price drop: ${d.productName} is now ${d.priceNow}`;
  const lead =
    d.kind === 'restock'
      ? `Good news — ${item} by ${d.brand} is back in stock at ${d.priceNow}. Stock is limited, so it may sell out again.`
      : `${d.productName} by ${d.brand} is now ${d.priceNow}${d.priceWas ? `, down from ${d.priceWas} when you asked us to tell you` : ''}.`;
  const why = `You are receiving this one email because you asked ${d.shopName} to tell ${d.to} ${d.kind === 'restock' ? "when this item is back in your size" : 'when its price drops'}. We won't email about it again.`;

  const text =
    [
      lead,
      '',
      d.kind === 'restock' ? 'See it and add it to your bag:' : 'See it at the new price:',
      open,
      '',
      'Stop this alert (no sign-in needed):',
      stop,
      '',
      '-- ',
      d.shopName,
      why,
    ].join('\n') + '\n';

  const body = html`<h1 style="margin:0 0 12px;font:600 26px/1.2 ${SERIF};color:${C.ink};letter-spacing:-0.01em;">${d.kind === 'restock' ? "It's back" : 'The price dropped'}</h1>
<p style="margin:0 0 16px;font:400 15px/1.6 ${SANS};color:${C.ink2};">${lead}</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px;"><tr><td style="background:${C.ink};border-radius:4px;">
<a href="${open}" style="display:inline-block;padding:12px 24px;font:600 15px/1 ${SANS};color:${C.paper};text-decoration:none;">${d.kind === 'restock' ? 'See it and add to bag' : 'See the new price'}</a>
</td></tr></table>
<p style="margin:0 0 16px;font:400 13px/1.6 ${SANS};color:${C.muted};">Don't want this? <a href="${stop}" style="color:${C.ink2};">Stop this alert</a> — one click, no sign-in.</p>`;

  const doc = emailDocument({ shopName: d.shopName, title: subject, preheader: lead, body, footer: why });
  return { subject, text, html: doc };
}
