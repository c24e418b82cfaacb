/**
 * Why an order line was credited, in people's words, for the creator's dashboard and the shop's
 * order page. Pure: built where it is shown from the decision stored on the line (source and
 * reference, ADR 0008) plus the creator's display name and the post's title, so nobody reads a
 * handle or a post slug, and wording fixes reach lines decided long ago. The reason text stored
 * on the line at payment stays as the audit record.
 */

export type CreditSourceKind = 'post' | 'group' | 'cut' | 'saved' | 'board' | 'code' | 'link' | 'none' | 'excluded';

export interface CreditFacts {
  /** The stored decision; null while the order is unpaid. */
  source: CreditSourceKind | null;
  /** The post the line was added from (content id), if any. */
  sourcePost: string | null;
  /** The code entered at checkout, if any. */
  couponCode: string | null;
  /** When the referral click behind the order happened, if any. */
  refClickedAt: number | null;
  paidAt: number | null;
  /** Bought from the wishlist: when the item was saved (ADR 0053). */
  savedAt?: number | null;
  /** Bought from (or saved from) a creator's board. */
  boardId?: number | null;
}

export interface CreditWording {
  /** 'creator': the creator reads their own lines ("your post"); 'shop': the admin reads any. */
  viewer: 'creator' | 'shop';
  /** Display name of the creator credited (or, for a self-referral, who would have been). */
  creatorName: string | null;
  /** Title of `sourcePost`; null when the post is no longer published. */
  postTitle: string | null;
  /** Name of the board behind a "board" or "saved" line, if any. */
  boardName?: string | null;
  /** How the shop writes a day ("3 Nov"); the reason leaves the date out without it. */
  formatDay?: (at: number) => string;
}

const DAY = 86_400_000;

/**
 * @example plural(1, 'day') // "1 day"
 * @example plural(2, 'order') // "2 orders"
 */
export function plural(n: number, singular: string, many = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : many}`;
}

function daysBefore(facts: CreditFacts): string | null {
  if (facts.refClickedAt === null || facts.paidAt === null) return null;
  const days = Math.max(0, Math.round((facts.paidAt - facts.refClickedAt) / DAY));
  return days === 0 ? 'on the day of payment' : `${plural(days, 'day')} before payment`;
}

/**
 * @example explainCredit({ source: 'post', sourcePost: 'autumn-capsule-wardrobe', couponCode: null, refClickedAt: null, paidAt: 0 },
 *   { viewer: 'shop', creatorName: 'Maya Okafor', postTitle: 'The autumn capsule wardrobe' })
 *   // 'Added to the bag from a card in Maya Okafor’s post “The autumn capsule wardrobe”.'
 */
export function explainCredit(facts: CreditFacts, w: CreditWording): string {
  const you = w.viewer === 'creator';
  const whose = you ? 'your' : w.creatorName ? `${w.creatorName}’s` : 'a creator’s';
  const post = w.postTitle ? `${whose} post “${w.postTitle}”` : `${whose} post (no longer published)`;
  const clicked = daysBefore(facts);
  switch (facts.source) {
    case null:
      return 'Decided when the order is paid.';
    case 'post':
      return `Added to the bag from a card in ${post}.`;
    case 'group':
      return `A seat in a group buy started from a card in ${post}.`;
    case 'cut':
      return `Bought through a help-cut launched from a card in ${post}.`;
    case 'board':
      return `Added to the bag from ${whose} board${w.boardName ? ` “${w.boardName}”` : ''}.`;
    case 'saved': {
      const from = facts.boardId != null && !facts.sourcePost ? `${whose} board${w.boardName ? ` “${w.boardName}”` : ''}` : post;
      const on = facts.savedAt != null && w.formatDay ? ` on ${w.formatDay(facts.savedAt)}` : '';
      return `Saved from ${from}${on}, then bought from the wishlist.`;
    }
    case 'code':
      return `Not added from a post; ${whose} code${facts.couponCode ? ` ${facts.couponCode}` : ''} was used at checkout.`;
    case 'link':
      return `Not added from a post and no creator code; the buyer last clicked ${whose} referral link${clicked ? ` ${clicked}` : ''}.`;
    case 'none':
      return clicked
        ? `Not added from a post and no creator code; the last referral click was ${clicked}, outside the attribution window.`
        : 'Not added from a post, no creator code and no referral click.';
    case 'excluded': {
      // Who would have been credited follows the same precedence: post, then code, then link.
      const would = facts.sourcePost ? `the card in ${post}` : facts.boardId != null ? `${whose} board${w.boardName ? ` “${w.boardName}”` : ''}` : facts.couponCode ? `${whose} code ${facts.couponCode}` : `${whose} referral link`;
      const buyer = you ? 'you (an email of your account)' : `${w.creatorName ?? 'the creator'} (an email of their account)`;
      return `Self-referral: the buyer is ${buyer}, so no commission. It would have been credited for ${would}.`;
    }
  }
}
