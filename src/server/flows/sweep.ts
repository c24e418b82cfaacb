/**
 * Workflow: the sweepers (docs/architecture.md, rule 8). They only tidy up: lapsed reservations
 * already stop counting where read and commission approval is derived where read. Each step is
 * idempotent, so several instances may run them at once.
 */
import { deleteExpiredSessions, deleteStaleThrottles } from '../auth/index.ts';
import { deliverPending } from '../mail/index.ts';
import { cancelLapsedOrders } from '../orders/index.ts';
import type { App } from './app.ts';
import { retryLateRefunds } from './pay.ts';
import { retryHoldReleases, settleLapsedGroups } from './groups.ts';
import { sendDueAlerts } from './wishlist.ts';

export interface SweepReport {
  lapsedOrdersCanceled: number;
  groupsSettled: number;
  /** Card holds of ended group seats the provider had not confirmed released, asked again. */
  holdsReleased: number;
  holdsStillHeld: number;
  lateRefundsRetried: number;
  lateRefundsFailed: number;
  /** Restock and price-drop alerts whose condition now holds (a sale starting, stock coming back). */
  alertsSent: number;
  mailSent: number;
  mailFailed: number;
}

export async function runSweepers(app: App, now = Date.now()): Promise<SweepReport> {
  // Groups first: a lapsed group releases its own seats' orders (and voids their card holds).
  const groups = await settleLapsedGroups(app, now);
  const holds = await retryHoldReleases(app, now);
  const lapsedOrdersCanceled = await cancelLapsedOrders(app.db, now);
  const refunds = await retryLateRefunds(app, now);
  // Before the outbox is delivered, so an alert due now goes out in this same sweep.
  const alerts = await sendDueAlerts(app, { now });
  const mail = await deliverPending(app.db, app.mail, { now });
  await deleteExpiredSessions(app.db, now);
  await deleteStaleThrottles(app.db, now);
  return { lapsedOrdersCanceled, groupsSettled: groups.settled, holdsReleased: holds.released, holdsStillHeld: holds.failed, lateRefundsRetried: refunds.ok, lateRefundsFailed: refunds.failed, alertsSent: alerts.sent, mailSent: mail.sent, mailFailed: mail.failed };
}
