/**
 * The creator invitation email: a pure function from invite data to
 * `{ subject, text, html }`, in the same frame and with the same escaping as the order emails
 * (templates.ts: every interpolated value goes through the `html` tag, so a display name like
 * `<b>` never becomes markup; inline styles only, table layout for mail clients).
 *
 * The link carries the one-time token; it is the only copy of it (the database keeps SHA-256).
 */
import { dateFormat } from '../shared/index.ts';
import { C, emailDocument, html, SANS, SERIF, safeHttpUrl, type RenderedEmail, type SafeHtml } from './templates.ts';

export const INVITE_EMAIL_KIND = 'creator_invite';

export interface CreatorInviteEmailData {
  shopName: string;
  locale: string;
  /** The invitee's address (shown in the footer: why they got this). */
  to: string;
  displayName: string;
  handle: string;
  /** The inviting creator's display name, or null when the shop itself invites. */
  inviterName: string | null;
  /** Absolute http(s) link to /invite/<token>. */
  acceptUrl: string;
  expiresAt: number;
}


function expiryText(expiresAt: number, locale: string): string {
  const f = dateFormat(locale, 'long-date-time');
  return `${f.format(expiresAt)} UTC`;
}

/**
 * @example creatorInviteEmail({ shopName: 'Lookbook', locale: 'en-US', to: 'ana@example.com', displayName: 'Ana', handle: 'ana',
 *   inviterName: 'Maya Okafor', acceptUrl: 'https://shop.example/invite/abc', expiresAt: Date.UTC(2026, 2, 17) })
 */
export function creatorInviteEmail(d: CreatorInviteEmailData): RenderedEmail {
  const url = safeHttpUrl(d.acceptUrl);
  // The link is built by the app, never typed by a person: anything else is a bug.
  if (!url) throw new TypeError(`acceptUrl must be an absolute http(s) URL, got ${JSON.stringify(d.acceptUrl)}`);
  const expires = expiryText(d.expiresAt, d.locale);
  const who = d.inviterName ? `${d.inviterName} has invited you` : `${d.shopName} has invited you`;
  const subject = d.inviterName ? `${d.inviterName} invited you to ${d.shopName}` : `You're invited to join ${d.shopName} as a creator`;
  const intro = `${who} to join ${d.shopName} as a creator, as @${d.handle}. Creators publish looks, guides and reviews, share their own links and code, and earn commission on what their readers buy.`;

  const text =
    [
      `Hello ${d.displayName},`,
      '',
      intro,
      '',
      'Choose a password to set up your account:',
      url,
      '',
      `The link works once and expires on ${expires}. If you weren't expecting this, ignore this email — nothing happens unless the link is used.`,
      '',
      '-- ',
      d.shopName,
      `You are receiving this email because someone at ${d.shopName} invited ${d.to}.`,
    ].join('\n') + '\n';

  const body: SafeHtml = html`<h1 style="margin:0 0 12px;font:600 26px/1.2 ${SERIF};color:${C.ink};letter-spacing:-0.01em;">Hello ${d.displayName},</h1>
<p style="margin:0 0 16px;font:400 15px/1.6 ${SANS};color:${C.ink2};">${intro}</p>
<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:8px 0 24px;"><tr><td style="background:${C.ink};border-radius:4px;">
<a href="${url}" style="display:inline-block;padding:12px 24px;font:600 15px/1 ${SANS};color:${C.paper};text-decoration:none;">Set your password</a>
</td></tr></table>
<p style="margin:0 0 16px;font:400 13px/1.6 ${SANS};color:${C.muted};">Or paste this link into your browser: <span style="word-break:break-all;">${url}</span></p>
<p style="margin:0 0 16px;font:400 13px/1.6 ${SANS};color:${C.muted};">The link works once and expires on ${expires}. If you weren't expecting this, ignore this email — nothing happens unless the link is used.</p>`;

  const doc = emailDocument({
    shopName: d.shopName,
    title: subject,
    preheader: `${who} — set your password before ${expires}.`,
    body,
    footer: `You are receiving this email because someone at ${d.shopName} invited ${d.to}.`,
  });
  return { subject, text, html: doc };
}
