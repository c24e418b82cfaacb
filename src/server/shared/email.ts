/**
 * Two forms of an email address (docs/decisions/0012-canonical-email.md):
 * - `normaliseEmail`: trimmed and lower-cased. The one form stored on orders, accounts and
 *   redemptions, and used by every quote, so the same buyer is the same string everywhere.
 * - `canonicalEmail`: the mailbox behind the address, for limits and self-referral only: a
 *   `+tag` is dropped for every domain, and for Gmail (gmail.com, googlemail.com) dots in the local
 *   part are ignored and googlemail.com is gmail.com. Never used to send mail.
 */

/** @example normaliseEmail('  Ana@Example.COM ') // 'ana@example.com' */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

const GMAIL = new Set(['gmail.com', 'googlemail.com']);

/**
 * @example canonicalEmail('A.Na+shop@GoogleMail.com') // 'ana@gmail.com'
 * @example canonicalEmail('ana+x@example.com') // 'ana@example.com'
 */
export function canonicalEmail(email: string): string {
  const e = normaliseEmail(email);
  const at = e.lastIndexOf('@');
  if (at <= 0) return e;
  let local = e.slice(0, at);
  let domain = e.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (GMAIL.has(domain)) {
    local = local.replaceAll('.', '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}
