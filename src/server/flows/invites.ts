/**
 * Workflow: invite a creator (by the shop, or by a creator who then earns the one-level override).
 * The invitation and its email are written in one transaction; the mail goes out after it commits.
 */
import { createCreatorInvite, type CreateInviteResult } from '../commissions/index.ts';
import { deliverMailSoon, type App } from './app.ts';

export async function inviteCreator(
  app: App,
  input: { fields: Record<string, unknown>; inviterCreatorId: number | null; invitedBy: string; limitPerDay?: number; now?: number },
): Promise<CreateInviteResult> {
  const { shop } = app.config;
  const r = await createCreatorInvite(app.db, { ...input, mail: { shopName: shop.name, locale: shop.locale, siteUrl: shop.siteUrl } });
  if (r.ok) deliverMailSoon(app);
  return r;
}
