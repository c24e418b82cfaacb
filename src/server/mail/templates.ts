/**
 * Order emails: pure functions from order data to `{ subject, text, html }`.
 *
 * - The text version is complete on its own (some readers and every spam filter look at it).
 * - The HTML is table-based with inline styles only: mail clients drop <style> blocks, flexbox and
 *   web fonts unpredictably. Fraunces is named first for the few clients that have it; Georgia is
 *   what most readers will see.
 * - Every interpolated value is escaped by the `html` tag below unless it is already `SafeHtml`,
 *   so a name like `<script>` in an address cannot become markup.
 * - All money goes through formatMoney (the one formatter).
 */
import { dateFormat } from '../shared/index.ts';
import { formatMoney } from '../shared/index.ts';
import { formatAddressLines, type PostalAddress } from '../shared/index.ts';
import { trackingUrl as trackingUrlFor } from '../shared/index.ts';

export interface OrderEmailLine {
  title: string;
  variantLabel: string;
  qty: number;
  unitPriceCents: number;
  subtotalCents: number;
  /** A pre-order's promise in words, e.g. "Pre-order: ships on 12 January". */
  note?: string | null;
}

/** The shipping address, laid out by the one address formatter (src/server/shared/address.ts). */
export type OrderEmailAddress = PostalAddress;

export interface OrderEmailData {
  shopName: string;
  number: string;
  email: string;
  currency: string;
  locale: string;
  lines: OrderEmailLine[];
  subtotalCents: number;
  discountCents: number;
  shippingCents: number;
  totalCents: number;
  shippingLabel: string;
  shipTo: OrderEmailAddress;
  /** Absolute signed link to the order status page. */
  orderUrl: string;
}

export interface OrderShippedEmailData extends OrderEmailData {
  carrier: string;
  trackingNumber: string;
  /** The carrier's tracking page, when known. Only http(s) links are used. */
  trackingUrl?: string | null;
}

/** A line (or part of one) that this refund covers. */
export interface RefundedLine {
  title: string;
  variantLabel: string;
  qty: number;
  refundedCents: number;
}

export interface OrderRefundedEmailData extends OrderEmailData {
  /** The amount of this refund. */
  refundedCents: number;
  /** What this refund covers; empty for a refund of shipping or a goodwill amount. */
  refundedLines: RefundedLine[];
  /** Everything refunded on the order so far, this refund included (defaults to `refundedCents`). */
  totalRefundedCents?: number;
  /** Why the shop refunded it, in the buyer's words, when it was not asked for (e.g. a replaced order paid). */
  reason?: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** `kind` values for `enqueueEmail`, one per template. */
export const EMAIL_KINDS = {
  orderConfirmation: 'order_confirmation',
  orderShipped: 'order_shipped',
  orderRefunded: 'order_refunded',
  orderLink: 'order_link',
  signInLink: 'sign_in_link',
  creatorSale: 'creator_sale',
  creatorPayout: 'creator_payout',
} as const;

// ---------------------------------------------------------------------------------------------
// Escaping

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML element content and quoted attribute values.
 * @example escapeHtml('<script>alert("x")</script>') // '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** Markup that is already safe (built by `html`); anything else interpolated into `html` is escaped. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

function renderValue(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(renderValue).join('');
  return escapeHtml(String(v));
}

/**
 * Tagged template that escapes every interpolation (arrays are joined, null/false render nothing).
 * @example html`<td>${name}</td>`.value // name escaped
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => (out += renderValue(v) + strings[i + 1]!));
  return new SafeHtml(out);
}

/**
 * A link target for an email, or null: only absolute http(s) URLs (no `javascript:`, no relative
 * links — they mean nothing in a mail client).
 */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

// The shop's look (src/styles/global.css), as literal values for inline styles.
export const C = { paper: '#fbfaf7', paper2: '#f2efe9', ink: '#161514', ink2: '#4a4641', muted: '#6b665f', line: '#e2ddd5', accent: '#8a3b1f' };
// Unquoted family names: the values sit inside style="…" attributes.
export const SERIF = 'Fraunces, Georgia, Times New Roman, serif';
export const SANS = 'Inter, Arial, Helvetica, sans-serif';

function moneyOf(d: Pick<OrderEmailData, 'currency' | 'locale'>) {
  return (cents: number) => formatMoney(cents, { currency: d.currency, locale: d.locale });
}

const addressLines = formatAddressLines;

function lineName(l: { title: string; variantLabel: string }): string {
  return l.variantLabel ? `${l.title} (${l.variantLabel})` : l.title;
}

function orderUrlOf(d: OrderEmailData): string {
  const url = safeHttpUrl(d.orderUrl);
  // The link is built by the app, never typed by a buyer: anything else is a bug.
  if (!url) throw new TypeError(`orderUrl must be an absolute http(s) URL, got ${JSON.stringify(d.orderUrl)}`);
  return url;
}

interface Totals {
  label: string;
  value: string;
  strong?: boolean;
}

function orderTotals(d: OrderEmailData): Totals[] {
  const m = moneyOf(d);
  const rows: Totals[] = [{ label: 'Subtotal', value: m(d.subtotalCents) }];
  if (d.discountCents > 0) rows.push({ label: 'Discount', value: m(-d.discountCents) });
  rows.push({ label: `Shipping (${d.shippingLabel})`, value: d.shippingCents === 0 ? 'Free' : m(d.shippingCents) });
  rows.push({ label: 'Total', value: m(d.totalCents), strong: true });
  return rows;
}

// --- text -------------------------------------------------------------------------------------

function textLines(d: OrderEmailData): string[] {
  const m = moneyOf(d);
  return d.lines.flatMap((l) => [`- ${lineName(l)}`, ...(l.note ? [`  ${l.note}`] : []), `  ${l.qty} × ${m(l.unitPriceCents)} = ${m(l.subtotalCents)}`]);
}

function textTotals(rows: Totals[]): string[] {
  const width = Math.max(...rows.map((r) => r.label.length)) + 2;
  return rows.map((r) => `${(r.label + ':').padEnd(width)}${r.value}`);
}

function textFooter(d: OrderEmailData): string[] {
  // "-- " is the signature delimiter mail clients recognise.
  return ['', '-- ', d.shopName, `You are receiving this email because an order was placed at ${d.shopName} with ${d.email}.`];
}

function joinText(parts: string[]): string {
  return parts.join('\n').replace(/\n{3,}/g, '\n\n').trim() + '\n';
}

// --- html -------------------------------------------------------------------------------------

function htmlLinesTable(d: OrderEmailData): SafeHtml {
  const m = moneyOf(d);
  const rows = d.lines.map(
    (l) => html`<tr>
<td style="padding:12px 0;border-bottom:1px solid ${C.line};font:400 15px/1.5 ${SANS};color:${C.ink};">${l.title}${l.variantLabel ? html`<br><span style="color:${C.muted};font-size:13px;">${l.variantLabel}</span>` : ''}${l.note ? html`<br><span style="color:${C.ink2};font-size:13px;font-weight:600;">${l.note}</span>` : ''}</td>
<td style="padding:12px 0 12px 12px;border-bottom:1px solid ${C.line};font:400 15px/1.5 ${SANS};color:${C.ink2};white-space:nowrap;" align="right">${l.qty} × ${m(l.unitPriceCents)}</td>
<td style="padding:12px 0 12px 12px;border-bottom:1px solid ${C.line};font:600 15px/1.5 ${SANS};color:${C.ink};white-space:nowrap;" align="right">${m(l.subtotalCents)}</td>
</tr>`,
  );
  return html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;border-top:1px solid ${C.line};">${rows}</table>`;
}

function htmlTotals(rows: Totals[]): SafeHtml {
  return html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;margin-top:8px;">${rows.map(
    (r) => html`<tr>
<td style="padding:4px 0;font:${r.strong ? '600 17px/1.5 ' + SERIF : '400 15px/1.5 ' + SANS};color:${r.strong ? C.ink : C.ink2};">${r.label}</td>
<td style="padding:4px 0;font:${r.strong ? '600 17px/1.5 ' + SERIF : '400 15px/1.5 ' + SANS};color:${C.ink};white-space:nowrap;" align="right">${r.value}</td>
</tr>`,
  )}</table>`;
}

function htmlHeading(text: string, size = 26): SafeHtml {
  return html`<h1 style="margin:0 0 12px;font:600 ${size}px/1.2 ${SERIF};color:${C.ink};letter-spacing:-0.01em;">${text}</h1>`;
}

function htmlSubheading(text: string): SafeHtml {
  return html`<h2 style="margin:28px 0 8px;font:600 18px/1.3 ${SERIF};color:${C.ink};">${text}</h2>`;
}

function htmlParagraph(content: HtmlValue): SafeHtml {
  return html`<p style="margin:0 0 16px;font:400 15px/1.6 ${SANS};color:${C.ink2};">${content}</p>`;
}

function htmlAddress(a: OrderEmailAddress, locale: string): SafeHtml {
  const parts = addressLines(a, locale);
  return html`<p style="margin:0;font:400 15px/1.6 ${SANS};color:${C.ink2};">${parts.map((p, i) => html`${i > 0 ? html`<br>` : ''}${p}`)}</p>`;
}

function htmlButton(href: string, label: string): SafeHtml {
  return html`<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px;"><tr><td style="background:${C.ink};border-radius:4px;">
<a href="${href}" style="display:inline-block;padding:12px 24px;font:600 15px/1 ${SANS};color:${C.paper};text-decoration:none;">${label}</a>
</td></tr></table>`;
}

/** The frame every email shares: paper card on a warm background, shop name, content, footer. */
export function emailDocument({
  shopName,
  title,
  preheader,
  body,
  footer,
}: {
  shopName: string;
  title: string;
  preheader: string;
  body: SafeHtml;
  /** Why the recipient got this email. */
  footer: string;
}): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${title}</title>
</head>
<body style="margin:0;padding:0;background:${C.paper2};">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;color:${C.paper2};">${preheader}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:${C.paper2};">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:600px;background:${C.paper};border:1px solid ${C.line};">
<tr><td style="padding:24px 32px;border-bottom:1px solid ${C.line};font:600 22px/1.2 ${SERIF};color:${C.ink};letter-spacing:-0.01em;">${shopName}</td></tr>
<tr><td style="padding:32px;">
${body}
</td></tr>
<tr><td style="padding:20px 32px;border-top:1px solid ${C.line};font:400 12px/1.6 ${SANS};color:${C.muted};">${footer}</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`.value;
}

function htmlDocument(d: OrderEmailData, { title, preheader, body }: { title: string; preheader: string; body: SafeHtml }): string {
  return emailDocument({
    shopName: d.shopName,
    title,
    preheader,
    body,
    footer: `You are receiving this email because an order was placed at ${d.shopName} with ${d.email}.`,
  });
}

// ---------------------------------------------------------------------------------------------
// The emails

/** Sent once the order is paid. */
export function orderConfirmationEmail(d: OrderEmailData): RenderedEmail {
  const url = orderUrlOf(d);
  const totals = orderTotals(d);
  const subject = `Order ${d.number} confirmed — ${d.shopName}`;
  const intro = `Thank you for your order. We have your payment and are getting your pieces ready; we will email you again when they ship.`;

  const text = joinText([
    `Thank you, ${d.shipTo.name}.`,
    '',
    intro,
    '',
    `Order ${d.number}`,
    '',
    ...textLines(d),
    '',
    ...textTotals(totals),
    '',
    'Shipping to:',
    ...addressLines(d.shipTo, d.locale),
    '',
    `Track your order: ${url}`,
    ...textFooter(d),
  ]);

  const body = html`${htmlHeading(`Thank you, ${d.shipTo.name}.`)}
${htmlParagraph(intro)}
${htmlParagraph(html`Order <strong style="color:${C.ink};">${d.number}</strong>`)}
${htmlLinesTable(d)}
${htmlTotals(totals)}
${htmlSubheading('Shipping to')}
${htmlAddress(d.shipTo, d.locale)}
<div style="height:24px;"></div>
${htmlButton(url, 'View your order')}`;

  return { subject, text, html: htmlDocument(d, { title: subject, preheader: `Order ${d.number}: ${totals.at(-1)!.value}`, body }) };
}

/** Sent when the order is handed to the carrier. */
export function orderShippedEmail(d: OrderShippedEmailData): RenderedEmail {
  const url = orderUrlOf(d);
  // A known carrier links to its own tracking page (src/server/shared/tracking.ts).
  const trackingUrl = safeHttpUrl(d.trackingUrl ?? trackingUrlFor(d.carrier, d.trackingNumber));
  const subject = `Order ${d.number} has shipped — ${d.shopName}`;
  const intro = `Good news: your order is on its way with ${d.carrier}.`;

  const text = joinText([
    `Your order ${d.number} has shipped.`,
    '',
    intro,
    '',
    `Carrier: ${d.carrier}`,
    `Tracking number: ${d.trackingNumber}`,
    trackingUrl ? `Track the parcel: ${trackingUrl}` : '',
    '',
    'In this parcel:',
    ...textLines(d),
    '',
    'Shipping to:',
    ...addressLines(d.shipTo, d.locale),
    '',
    `Your order: ${url}`,
    ...textFooter(d),
  ]);

  const body = html`${htmlHeading('Your order has shipped.')}
${htmlParagraph(html`${intro} Order <strong style="color:${C.ink};">${d.number}</strong>.`)}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;margin:0 0 24px;background:${C.paper2};">
<tr><td style="padding:16px 20px;font:400 15px/1.6 ${SANS};color:${C.ink2};">
Carrier: <strong style="color:${C.ink};">${d.carrier}</strong><br>
Tracking number: <strong style="color:${C.ink};font-family:Menlo,Consolas,monospace;">${d.trackingNumber}</strong>
${trackingUrl ? html`<br><a href="${trackingUrl}" style="color:${C.accent};">Track the parcel</a>` : ''}
</td></tr>
</table>
${htmlSubheading('In this parcel')}
${htmlLinesTable(d)}
${htmlSubheading('Shipping to')}
${htmlAddress(d.shipTo, d.locale)}
<div style="height:24px;"></div>
${htmlButton(url, 'View your order')}`;

  return { subject, text, html: htmlDocument(d, { title: subject, preheader: `${d.carrier} tracking number ${d.trackingNumber}`, body }) };
}

/** Sent for every refund, full or partial. */
export function orderRefundedEmail(d: OrderRefundedEmailData): RenderedEmail {
  const m = moneyOf(d);
  const url = orderUrlOf(d);
  const totalRefunded = d.totalRefundedCents ?? d.refundedCents;
  const full = totalRefunded >= d.totalCents;
  const amount = m(d.refundedCents);
  const subject = full ? `Order ${d.number} refunded — ${d.shopName}` : `Partial refund for order ${d.number} — ${d.shopName}`;
  const intro = `We have refunded ${amount} to your original payment method. Depending on your bank, it can take 5–10 business days to appear on your statement.`;
  const summary = full
    ? `Your order has been refunded in full (${m(totalRefunded)} of ${m(d.totalCents)}).`
    : `Refunded so far: ${m(totalRefunded)} of ${m(d.totalCents)}.`;

  const refundedText = d.refundedLines.map((l) => `- ${lineName(l)} × ${l.qty}: ${m(l.refundedCents)}`);
  const text = joinText([
    `Refund for order ${d.number}`,
    '',
    intro,
    '',
    ...(d.reason ? [d.reason, ''] : []),
    ...(refundedText.length > 0 ? ['This refund covers:', ...refundedText, ''] : []),
    `Refunded now: ${amount}`,
    summary,
    '',
    `Your order: ${url}`,
    ...textFooter(d),
  ]);

  const refundedRows = d.refundedLines.map(
    (l) => html`<tr>
<td style="padding:12px 0;border-bottom:1px solid ${C.line};font:400 15px/1.5 ${SANS};color:${C.ink};">${l.title}${l.variantLabel ? html`<br><span style="color:${C.muted};font-size:13px;">${l.variantLabel}</span>` : ''}</td>
<td style="padding:12px 0 12px 12px;border-bottom:1px solid ${C.line};font:400 15px/1.5 ${SANS};color:${C.ink2};white-space:nowrap;" align="right">× ${l.qty}</td>
<td style="padding:12px 0 12px 12px;border-bottom:1px solid ${C.line};font:600 15px/1.5 ${SANS};color:${C.ink};white-space:nowrap;" align="right">${m(l.refundedCents)}</td>
</tr>`,
  );

  const body = html`${htmlHeading(full ? 'Your order has been refunded.' : 'We have refunded part of your order.')}
${htmlParagraph(html`Order <strong style="color:${C.ink};">${d.number}</strong>. ${intro}`)}
${d.reason ? htmlParagraph(d.reason) : ''}
${
  refundedRows.length > 0
    ? html`${htmlSubheading('This refund covers')}<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;border-top:1px solid ${C.line};">${refundedRows}</table>`
    : ''
}
${htmlTotals([{ label: 'Refunded now', value: amount, strong: true }])}
${htmlParagraph(html`<span style="color:${C.muted};">${summary}</span>`)}
${htmlButton(url, 'View your order')}`;

  return { subject, text, html: htmlDocument(d, { title: subject, preheader: `${amount} refunded for order ${d.number}`, body }) };
}

// ---------------------------------------------------------------------------------------------
// "Find my order": a fresh signed link to the order page

export interface OrderLinkEmailData {
  shopName: string;
  number: string;
  email: string;
  /** Absolute signed link to the order status page. */
  orderUrl: string;
}

/** Sent when someone asks for their order link again with the order's email and number. */
export function orderLinkEmail(d: OrderLinkEmailData): RenderedEmail {
  const url = safeHttpUrl(d.orderUrl);
  if (!url) throw new TypeError(`orderUrl must be an absolute http(s) URL, got ${JSON.stringify(d.orderUrl)}`);
  const subject = `Your link to order ${d.number} — ${d.shopName}`;
  const intro = `Here is the link to your order ${d.number}. It shows what you ordered, where it is going and, once shipped, how to track it.`;
  const ignore = 'If you did not ask for this link, you can ignore this email: nothing has changed.';
  const text = joinText([`Your order ${d.number}`, '', intro, '', `Open your order: ${url}`, '', ignore, '', '-- ', d.shopName, `Sent because the link for an order placed with ${d.email} was requested at ${d.shopName}.`]);
  const body = html`${htmlHeading(`Your order ${d.number}`)}
${htmlParagraph(intro)}
${htmlButton(url, 'Open your order')}
${htmlParagraph(html`<span style="color:${C.muted};">${ignore}</span>`)}`;
  return {
    subject,
    text,
    html: emailDocument({ shopName: d.shopName, title: subject, preheader: `The link to order ${d.number}`, body, footer: `Sent because the link for an order placed with ${d.email} was requested at ${d.shopName}.` }),
  };
}

// ---------------------------------------------------------------------------------------------
// Readers: a one-time sign-in link

export interface SignInLinkEmailData {
  shopName: string;
  email: string;
  /** Absolute one-time link; null for an address that signs in with a password (staff, creators). */
  signInUrl: string | null;
  /** Minutes the link works. */
  minutes: number;
  /** Where staff sign in, for the no-link variant. */
  passwordUrl: string;
}

/**
 * The one-time sign-in link a reader asked for. An address that belongs to a staff or creator
 * account gets no link (those sign in with their password) but the same kind of email, so the
 * form never tells the asker which kind of account an address has.
 */
export function signInLinkEmail(d: SignInLinkEmailData): RenderedEmail {
  const ignore = 'If you did not ask to sign in, you can ignore this email: nothing has changed and nobody can sign in without this link.';
  const footer = `Sent because someone asked to sign in to ${d.shopName} as ${d.email}.`;
  if (d.signInUrl === null) {
    const url = safeHttpUrl(d.passwordUrl);
    if (!url) throw new TypeError(`passwordUrl must be an absolute http(s) URL, got ${JSON.stringify(d.passwordUrl)}`);
    const subject = `Signing in to ${d.shopName}`;
    const intro = 'This address belongs to a staff or creator account, which signs in with its password rather than an email link.';
    const text = joinText([subject, '', intro, '', `Sign in with your password: ${url}`, '', ignore, '', '-- ', d.shopName, footer]);
    const body = html`${htmlHeading(subject)}
${htmlParagraph(intro)}
${htmlButton(url, 'Sign in with your password')}
${htmlParagraph(html`<span style="color:${C.muted};">${ignore}</span>`)}`;
    return { subject, text, html: emailDocument({ shopName: d.shopName, title: subject, preheader: 'Use your password to sign in', body, footer }) };
  }
  const url = safeHttpUrl(d.signInUrl);
  if (!url) throw new TypeError(`signInUrl must be an absolute http(s) URL, got ${JSON.stringify(d.signInUrl)}`);
  const subject = `Your sign-in link for ${d.shopName}`;
  const intro = `Open this link to sign in as ${d.email}. It works once, for ${d.minutes} minutes.`;
  const text = joinText([subject, '', intro, '', `Sign in: ${url}`, '', ignore, '', '-- ', d.shopName, footer]);
  const body = html`${htmlHeading('Sign in')}
${htmlParagraph(intro)}
${htmlButton(url, 'Sign in')}
${htmlParagraph(html`<span style="color:${C.muted};">${ignore}</span>`)}`;
  return { subject, text, html: emailDocument({ shopName: d.shopName, title: subject, preheader: `Your link works for ${d.minutes} minutes`, body, footer }) };
}

// ---------------------------------------------------------------------------------------------
// Creator emails: a new credited sale, a payout sent

export interface CreatorSaleEmailData {
  shopName: string;
  creatorName: string;
  to: string;
  orderNumber: string;
  currency: string;
  locale: string;
  lines: { title: string; variantLabel: string; qty: number; source: 'post' | 'code' | 'link'; code?: string | null }[];
  /** The creator's commission on these lines (pending until approvedAt). */
  commissionCents: number;
  approvedAt: number;
  /** Absolute link to the creator dashboard. */
  dashboardUrl: string;
}

const SOURCE_WORDS = { post: 'from a card in your post', code: 'with your code', link: 'through your referral link' } as const;

/** Sent once per creator per paid order with lines credited to them. */
export function creatorSaleEmail(d: CreatorSaleEmailData): RenderedEmail {
  const m = (c: number) => formatMoney(c, { currency: d.currency, locale: d.locale });
  const url = safeHttpUrl(d.dashboardUrl);
  if (!url) throw new TypeError(`dashboardUrl must be an absolute http(s) URL, got ${JSON.stringify(d.dashboardUrl)}`);
  const when = dateFormat(d.locale, 'long-day').format(d.approvedAt);
  const items = d.lines.reduce((n, l) => n + l.qty, 0);
  const subject = `New sale: ${m(d.commissionCents)} commission — ${d.shopName}`;
  const intro = `Good news, ${d.creatorName}: order ${d.orderNumber} was paid and ${items === 1 ? '1 item was' : `${items} items were`} credited to you.`;
  const approval = `Your commission of ${m(d.commissionCents)} is pending until ${when} (the return window), then approved for your next payout.`;
  const what = d.lines.map((l) => `${l.qty} × ${lineName(l)}, ${SOURCE_WORDS[l.source]}${l.source === 'code' && l.code ? ` ${l.code}` : ''}`);
  const footer = `You are receiving this email because you are a creator at ${d.shopName}.`;
  const text = joinText([intro, '', ...what.map((w) => `- ${w}`), '', approval, '', `Your dashboard: ${url}`, '', '-- ', d.shopName, footer]);
  const body = html`${htmlHeading('You made a sale.')}
${htmlParagraph(intro)}
<ul style="margin:0 0 16px;padding-left:20px;font:400 15px/1.6 ${SANS};color:${C.ink2};">${what.map((w) => html`<li>${w}</li>`)}</ul>
${htmlTotals([{ label: 'Your commission', value: m(d.commissionCents), strong: true }])}
${htmlParagraph(html`<span style="color:${C.muted};">${approval}</span>`)}
${htmlButton(url, 'Open your dashboard')}`;
  return { subject, text, html: emailDocument({ shopName: d.shopName, title: subject, preheader: intro, body, footer }) };
}

export interface CreatorPayoutEmailData {
  shopName: string;
  creatorName: string;
  to: string;
  currency: string;
  locale: string;
  amountCents: number;
  reference: string;
  entries: number;
  dashboardUrl: string;
}

/** Sent when the shop marks a creator's payout paid. */
export function creatorPayoutEmail(d: CreatorPayoutEmailData): RenderedEmail {
  const amount = formatMoney(d.amountCents, { currency: d.currency, locale: d.locale });
  const url = safeHttpUrl(d.dashboardUrl);
  if (!url) throw new TypeError(`dashboardUrl must be an absolute http(s) URL, got ${JSON.stringify(d.dashboardUrl)}`);
  const subject = `Payout sent: ${amount} — ${d.shopName}`;
  const intro = `${d.creatorName}, we have paid you ${amount} for ${d.entries === 1 ? '1 approved commission entry' : `${d.entries} approved commission entries`}.`;
  const ref = `Payment reference: ${d.reference}. Depending on your bank it can take a few business days to arrive.`;
  const footer = `You are receiving this email because you are a creator at ${d.shopName}.`;
  const text = joinText([intro, '', ref, '', `Your dashboard: ${url}`, '', '-- ', d.shopName, footer]);
  const body = html`${htmlHeading('Your payout is on its way.')}
${htmlParagraph(intro)}
${htmlTotals([{ label: 'Paid to you', value: amount, strong: true }])}
${htmlParagraph(html`<span style="color:${C.muted};">${ref}</span>`)}
${htmlButton(url, 'Open your dashboard')}`;
  return { subject, text, html: emailDocument({ shopName: d.shopName, title: subject, preheader: intro, body, footer }) };
}
