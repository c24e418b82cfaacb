/**
 * The attribution decision (docs/architecture.md, rule 4; ADR 0008), pure.
 *
 * Per order line, at payment time, once:
 *   (a) the line was added from a card in a post      → that post's creator   ("post"; "group" or
 *       "cut" when it was bought through a group or a help-cut started from that card)
 *   (b) else a creator's personal code was used        → that creator          ("code")
 *   (c) else the last counted referral click within the window → that creator ("link")
 *   (d) else nobody                                                            ("none")
 * A creator never earns on their own purchase: the buyer signed in as the creator, or used an
 * address whose canonical form (docs/decisions/0012-canonical-email.md: no +tag, Gmail dots
 * ignored) is that of the creator's account. The line is "excluded" with the reason. The decision, its source, the post/code/click behind it and a human
 * reason are stored on the line and never recomputed.
 */

import { canonicalEmail } from '../shared/index.ts';

export type AttributionSource = 'post' | 'group' | 'cut' | 'code' | 'link' | 'none' | 'excluded';

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
}

export interface OrderInput {
  buyerEmail: string;
  /** The creator the buyer was signed in as at checkout, if any. */
  buyerCreatorId?: number | null;
  code: { code: string; creator: CreatorRef } | null;
  click: { id: string; creator: CreatorRef; at: number } | null;
  paidAt: number;
  windowMs: number;
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
  const candidate = ((): Decision | null => {
    if (line.sourcePost && line.sourceCreator) {
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
  if (!candidate) return { creatorId: null, source: 'none', ref: null, reason: 'Not added from a post, no creator code, no referral click.' };
  if (candidate.creatorId === null) return candidate;
  const creator = candidate.source === 'post' || candidate.source === 'group' || candidate.source === 'cut' ? line.sourceCreator! : candidate.source === 'code' ? order.code!.creator : order.click!.creator;
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
