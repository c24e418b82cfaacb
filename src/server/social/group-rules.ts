/**
 * Group buy (拼团) rules, pure: no database, no clock of their own.
 *
 * The model (db/schema/social.ts, group_buys and group_members):
 * - A group has `size` seats and ends at `endsAt`. Each member's card is only authorised when they join;
 *   the group fills, and every member is captured, the moment the last seat is authorised before
 *   `endsAt`. A group that ends short lapses, and every authorisation is voided: nobody pays for a
 *   group that never formed.
 * - A card authorisation lasts about 7 days, so a group may run at most MAX_GROUP_DURATION_MS (6 days):
 *   capture always happens while the authorisation is still good.
 * - Where a group stands is decided from its rows and the clock where it is read (`groupView`):
 *   an open group past `endsAt` is lapsed even before the sweeper has settled it, and a pending seat
 *   whose hold has run out no longer takes a seat. `status` records only what has been settled.
 * - A pending seat (checkout started, card not yet authorised) holds a place so two buyers are not sold
 *   the last seat at once, but it never fills a group: only authorised money does.
 */
import type { GroupMemberStatus } from '../../../db/schema/social.ts';

export type { GroupMemberStatus };
export type GroupStatus = 'open' | 'filled' | 'lapsed';

/** Card authorisations last 7 days; a group must end a day inside them. Matches the offers' CHECK (8640 min). */
export const MAX_GROUP_DURATION_MS = 6 * 24 * 60 * 60 * 1000;
export const DEFAULT_GROUP_DURATION_MS = 24 * 60 * 60 * 1000;

/**
 * The member (seat) state machine:
 *   pending    → authorised   (the card was authorised for an open group with a seat left)
 *   pending    → left         (the buyer cancelled the checkout)
 *   pending    → expired      (the hold ran out before the card was authorised)
 *   pending    → voided       (the authorisation arrived for a group that had ended or was full)
 *   authorised → captured     (the group filled)
 *   authorised → left         (the buyer left before the group filled: the authorisation is voided)
 *   authorised → voided       (the group lapsed)
 *   authorised → expired      (the capture was refused: the card's authorisation ran out)
 *   captured   → refunded     (the paid order was refunded)
 * left, voided, expired and refunded are final, so a late or repeated event never revives a seat.
 */
export const MEMBER_TRANSITIONS: Readonly<Record<GroupMemberStatus, readonly GroupMemberStatus[]>> = {
  pending: ['authorised', 'left', 'expired', 'voided'],
  authorised: ['captured', 'left', 'voided', 'expired'],
  captured: ['refunded'],
  left: [],
  voided: [],
  expired: [],
  refunded: [],
};

export function canMove(from: GroupMemberStatus, to: GroupMemberStatus): boolean {
  return MEMBER_TRANSITIONS[from].includes(to);
}

export interface GroupMemberInput {
  status: GroupMemberStatus;
  holdUntil: number;
}

export interface GroupInput {
  status: GroupStatus;
  size: number;
  endsAt: number;
  members: readonly GroupMemberInput[];
}

export interface GroupView {
  state: GroupStatus;
  size: number;
  endsAt: number;
  /** Authorised and captured members, and pending members whose hold is still running. */
  seatsTaken: number;
  seatsLeft: number;
  /** Authorised and captured members: only these fill the group. */
  authorised: number;
  /** Whole seconds until the group ends, rounded up (0 unless open). */
  secondsLeft: number;
}

/** Whether a member takes a seat at `now`: money authorised or captured, or a checkout still holding it. */
export function holdsSeat(member: GroupMemberInput, now: number): boolean {
  if (member.status === 'authorised' || member.status === 'captured') return true;
  return member.status === 'pending' && member.holdUntil > now;
}

/**
 * Where a group stands at `now`, decided lazily from its rows: a settled status stays, an open group
 * whose endsAt ≤ now is lapsed whether or not the sweeper has run. Seats are counted the same way in
 * every state (a lapsed group's page can still say how close it came).
 */
export function groupView(group: GroupInput, now: number): GroupView {
  const state: GroupStatus = group.status === 'open' && group.endsAt <= now ? 'lapsed' : group.status;
  let authorised = 0;
  let seatsTaken = 0;
  for (const m of group.members) {
    if (m.status === 'authorised' || m.status === 'captured') authorised += 1;
    if (holdsSeat(m, now)) seatsTaken += 1;
  }
  return {
    state,
    size: group.size,
    endsAt: group.endsAt,
    seatsTaken,
    seatsLeft: Math.max(0, group.size - seatsTaken),
    authorised,
    secondsLeft: state === 'open' ? Math.ceil((group.endsAt - now) / 1000) : 0,
  };
}

export type JoinRefusal = 'group_full' | 'group_ended' | 'already_member' | 'buyer_limit';
export type JoinDecision = { ok: true } | { ok: false; reason: JoinRefusal; message: string };

/** What the shopper reads when a join is refused (the adapter maps reasons to statuses). */
export const JOIN_MESSAGES: Readonly<Record<JoinRefusal, string>> = {
  group_ended: 'This group has ended — start a new group or buy at the regular price.',
  already_member: 'You are already in this group. Share the link so friends can join and fill it.',
  group_full: 'This group is full — start your own group or buy at the regular price.',
  buyer_limit: 'You already have as many group-price seats for this product as one shopper may hold. You can still buy it at the regular price.',
};

const refuse = (reason: JoinRefusal): JoinDecision => ({ ok: false, reason, message: JOIN_MESSAGES[reason] });

/**
 * Whether a buyer (keyed on the canonical email, ADR 0012) may take a seat in a group now.
 * - `memberCountForBuyer`: the buyer's live seats (pending with a running hold, authorised, captured)
 *   in all of this offer's groups; `perBuyerLimit` is the offer's "seats one buyer may hold".
 * - `buyerGroupsInProduct`: the buyer's live seats in open groups of the same product under any offer,
 *   held to the same limit, so a product-wide offer and a variant offer cannot be stacked.
 * Checked in the order a shopper would want to hear: ended, already in it, full, over the limit.
 */
export function decideJoin({
  group,
  now,
  memberCountForBuyer,
  alreadyMember,
  perBuyerLimit,
  buyerGroupsInProduct,
}: {
  group: GroupInput;
  now: number;
  memberCountForBuyer: number;
  alreadyMember: boolean;
  perBuyerLimit: number;
  buyerGroupsInProduct: number;
}): JoinDecision {
  const view = groupView(group, now);
  if (view.state === 'lapsed') return refuse('group_ended');
  if (alreadyMember) return refuse('already_member');
  if (view.state === 'filled' || view.seatsLeft === 0) return refuse('group_full');
  if (memberCountForBuyer >= perBuyerLimit || buyerGroupsInProduct >= perBuyerLimit) return refuse('buyer_limit');
  return { ok: true };
}

/**
 * Whether the group fills now: it is open, not past endsAt, and authorised (+ captured) members are
 * exactly its size. A seat that is only pending never counts: the group fills on money, not on intent.
 */
export function decideFill(view: GroupView): boolean {
  return view.state === 'open' && view.authorised === view.size;
}

/**
 * What to do with a card authorisation arriving for a pending member: 'void' it when the group has
 * ended (by status or by the clock) or is already full of other authorised members, else 'hold' it
 * (the member becomes authorised, and decideFill says whether that filled the group). The member's own
 * seat is not among `view.authorised` yet, so the first authorisations to arrive win the seats.
 */
export function decideOnAuthorisation(view: GroupView, now: number): 'hold' | 'void' {
  if (view.state !== 'open' || now >= view.endsAt) return 'void';
  if (view.authorised >= view.size) return 'void';
  return 'hold';
}
