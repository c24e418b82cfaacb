/**
 * The attribution decision (docs/architecture.md, rule 4; ADR 0008), pure.
 *
 * Per order line, at payment time, once:
 *   (a) the line was added from a card in a post      → that post's creator   ("post"; "group" or
 *       "cut" when it was bought through a group or a help-cut started from that card)
 *   (a') else the line was bought from a creator's board → that creator        ("board"), or from
 *       the wishlist (or an alert email) within the saved window of the item being saved from a
 *       post's card or a board → that creator ("saved"; outside the window it falls through)
 *       (docs/decisions/0053-wishlists-alerts-boards.md)
 *   (b) else a creator's personal code was used        → that creator          ("code")
 *   (c) else the last counted referral click within the window → that creator ("link")
 *   (d) else nobody                                                            ("none")
 * A creator never earns on their own purchase: the buyer signed in as the creator, or used an
 * address whose canonical form (docs/decisions/0012-canonical-email.md: no +tag, Gmail dots
 * ignored) is that of the creator's account. The line is "excluded" with the reason. The decision, its source, the post/code/click behind it and a human
 * reason are stored on the line and never recomputed.
 */

import { canonicalEmail } from '../shared/index.ts';

export type AttributionSource = 'post' | 'group' | 'cut' | 'saved' | 'board' | 'code' | 'link' | 'none' | 'excluded';

export interface CreatorRef {
  id: number;
  handle: string;
  /** Emails of the creator's login(s), lower-case; a buyer with one of these is the creator. */
  emails: readonly string[];
}

export interface LineInput {
  sourcePost: string | null;
  sourceCreator: CreatorRef | null;
  /** Bought through a group buy or a help-cut started from the card (src/server/social). */
  channel?: 'group' | 'cut' | null;
  /** Added from a creator's board (then `sourceCreator` is the board's creator). */
  sourceBoardId?: number | null;
  /** Added from the wishlist or an alert email: when the item was saved (or the alert emailed). */
  savedAt?: number | null;
}

/** How long a saved item keeps its credit, unless configured (SAVED_CREDIT_DAYS). */
export const DEFAULT_SAVED_WINDOW_MS = 90 * 86_400_000;

export interface OrderInput {
  buyerEmail: string;
  /** The creator the buyer was signed in as at checkout, if any. */
  buyerCreatorId?: number | null;
  code: { code: string; creator: CreatorRef } | null;
  click: { id: string; creator: CreatorRef; at: number } | null;
  paidAt: number;
  windowMs: number;
  /** The "saved" window (SAVED_CREDIT_DAYS); DEFAULT_SAVED_WINDOW_MS when not given. */
  savedWindowMs?: number;
}

export interface Decision {
  creatorId: number | null;
  source: AttributionSource;
  ref: string | null;
  reason: string;
}

const DAY = 86_400_000;
const days = (ms: number) => Math.round(ms / DAY);

function selfBy(creator: CreatorRef, order: Pick<OrderInput, 'buyerEmail' | 'buyerCreatorId'>): 'signed_in' | 'email' | null {
  if (order.buyerCreatorId != null && order.buyerCreatorId === creator.id) return 'signed_in';
  const email = canonicalEmail(order.buyerEmail);
  return creator.emails.some((e) => canonicalEmail(e) === email) ? 'email' : null;
}

export function decideLine(line: LineInput, order: OrderInput): Decision {
  /** A saved item's credit that lapsed: said in the reason when nothing else credits the line. */
  let lapsed: string | null = null;
  const candidate = ((): Decision | null => {
    const boardId = line.sourceBoardId ?? null;
    if (line.savedAt != null && line.sourceCreator && (line.sourcePost || boardId !== null)) {
      const windowMs = order.savedWindowMs ?? DEFAULT_SAVED_WINDOW_MS;
      const age = order.paidAt - line.savedAt;
      const from = line.sourcePost ? `a card in ${line.sourceCreator.handle}'s post “${line.sourcePost}”` : `${line.sourceCreator.handle}'s board #${boardId}`;
      const ago = days(age) === 1 ? '1 day' : `${days(age)} days`;
      if (age >= 0 && age <= windowMs) {
        return {
          creatorId: line.sourceCreator.id,
          source: 'saved',
          ref: line.sourcePost ?? `board:${boardId}`,
          reason: `Bought from the wishlist; saved from ${from} ${ago} before payment (window ${days(windowMs)} days).`,
        };
      }
      lapsed = `Saved from ${from} ${ago} before payment, outside the ${days(windowMs)}-day window for saved items.`;
    } else if (boardId !== null && line.sourceCreator && !line.sourcePost) {
      return { creatorId: line.sourceCreator.id, source: 'board', ref: `board:${boardId}`, reason: `Added to the bag from ${line.sourceCreator.handle}'s board #${boardId}.` };
    }
    if (line.sourcePost && line.sourceCreator && line.savedAt == null) {
      const how =
        line.channel === 'group'
          ? `Bought in a group started from a card in ${line.sourceCreator.handle}'s post “${line.sourcePost}”.`
          : line.channel === 'cut'
            ? `Bought through a help-cut launched from a card in ${line.sourceCreator.handle}'s post “${line.sourcePost}”.`
            : `Added to the bag from a card in ${line.sourceCreator.handle}'s post “${line.sourcePost}”.`;
      return { creatorId: line.sourceCreator.id, source: line.channel ?? 'post', ref: line.sourcePost, reason: how };
    }
    if (order.code) {
      return {
        creatorId: order.code.creator.id,
        source: 'code',
        ref: order.code.code,
        reason: `Not added from a post; ${order.code.creator.handle}'s code ${order.code.code} was used at checkout.`,
      };
    }
    if (order.click) {
      const age = order.paidAt - order.click.at;
      if (age >= 0 && age <= order.windowMs) {
        return {
          creatorId: order.click.creator.id,
          source: 'link',
          ref: order.click.id,
          reason: `Not added from a post and no creator code; last referral click was ${order.click.creator.handle}'s link ${days(age) === 1 ? '1 day' : `${days(age)} days`} before payment (window ${days(order.windowMs)} days).`,
        };
      }
      return {
        creatorId: null,
        source: 'none',
        ref: order.click.id,
        reason: `The last referral click (${order.click.creator.handle}) was ${days(age) === 1 ? '1 day' : `${days(age)} days`} before payment, outside the ${days(order.windowMs)}-day window.`,
      };
    }
    return null;
  })();
  if (!candidate) return { creatorId: null, source: 'none', ref: null, reason: lapsed ? `${lapsed} No creator code, no referral click.` : 'Not added from a post, no creator code, no referral click.' };
  if (candidate.creatorId === null) return lapsed ? { ...candidate, reason: `${lapsed} ${candidate.reason}` } : candidate;
  const fromLine = candidate.source === 'post' || candidate.source === 'group' || candidate.source === 'cut' || candidate.source === 'saved' || candidate.source === 'board';
  const creator = fromLine ? line.sourceCreator! : candidate.source === 'code' ? order.code!.creator : order.click!.creator;
  const self = selfBy(creator, order);
  if (self) {
    return {
      creatorId: null,
      source: 'excluded',
      ref: candidate.ref,
      reason: `Self-referral: the buyer is ${creator.handle} (${self === 'signed_in' ? 'signed in as the creator' : "same email as the creator's account"}), so no commission. Would have been “${candidate.source}”.`,
    };
  }
  return candidate;
}
