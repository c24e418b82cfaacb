/**
 * Small reads the group pages and the test payment page need (kept apart from groups.ts, which
 * holds the group workflows): whether an order is a group seat (the test payment page then offers
 * "Authorise" instead of "Pay", as Stripe Checkout does for a manual-capture session), and the
 * signed-in reader's seat in a group (to offer "Leave").
 */
import { memberByOrder, groupsForUser } from '../social/index.ts';
import type { App } from './app.ts';

export async function groupSeatOfOrder(app: App, orderId: number): Promise<{ groupId: string; memberId: number } | null> {
  const m = await memberByOrder(app.db, orderId);
  return m ? { groupId: m.groupId, memberId: m.id } : null;
}

export async function mySeatInGroup(app: App, userId: number, groupId: string, now = Date.now()) {
  const seats = await groupsForUser(app.db, userId, now, 50);
  return seats.find((s) => s.groupId === groupId && (s.seatStatus === 'pending' || s.seatStatus === 'authorised' || s.seatStatus === 'captured')) ?? null;
}
