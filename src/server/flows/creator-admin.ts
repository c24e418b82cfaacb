/**
 * Workflow of the admin page of one creator: change their rate and referral code, or save one of
 * their personal discount codes. A refusal says which form failed and keeps what was typed;
 * nothing is written then.
 */
import { ADMIN_CREATORS_PATH, adminCreatorHref, parseCouponIdField, saveCreatorCoupon, setCategoryRate, updateCreatorSettings, type AdminCreatorRefusal } from '../commissions/index.ts';
import { httpStatus, refuse } from '../shared/index.ts';
import { inviteCreator } from './invites.ts';
import type { App } from './app.ts';

const COUPON_FIELDS = ['code', 'percentOff', 'startsOn', 'endsOn', 'maxRedemptions', 'perEmailLimit'] as const;

export type CreatorAdminOutcome =
  | { kind: 'done'; redirectTo: string }
  | {
      kind: 'refused';
      status: number;
      settings?: { failure: AdminCreatorRefusal; values: { rate: string; referralCode: string } };
      /** `key` is 'new' or the coupon id whose form failed. */
      coupon?: { key: string; failure: AdminCreatorRefusal; values: Record<string, string> };
      /** A message for the whole page (an out-of-date form, an unknown action). */
      formError?: string;
    };

type FormLike = { get(name: string): FormDataEntryValue | null; has(name: string): boolean };

export async function runCreatorAdminAction(
  app: App,
  { creator, form }: { creator: { id: number; handle: string }; form: FormLike | null },
): Promise<CreatorAdminOutcome> {
  const str = (k: string) => String(form?.get(k) ?? '').slice(0, 100);
  const action = form?.get('action');
  if (form && action === 'settings') {
    const values = { rate: str('rate'), referralCode: str('referralCode') };
    const r = await updateCreatorSettings(app.db, { creatorId: creator.id, ...values });
    if (r.ok) return { kind: 'done', redirectTo: adminCreatorHref(creator.handle, { saved: r.changed ? 'settings' : 'nothing' }) };
    return { kind: 'refused', status: httpStatus(r), settings: { failure: r, values } };
  }
  if (form && action === 'coupon') {
    const id = parseCouponIdField(str('couponId'));
    // A malformed id is neither "new" nor a code of this creator: refuse, write nothing.
    if (!id.ok) return { kind: 'refused', status: 400, formError: id.message };
    const values: Record<string, string> = Object.fromEntries(COUPON_FIELDS.map((k) => [k, str(k)]));
    values.active = form.has('active') ? 'on' : '';
    const r = await saveCreatorCoupon(app.db, { creatorId: creator.id, couponId: id.couponId, fields: values });
    if (r.ok) return { kind: 'done', redirectTo: `${adminCreatorHref(creator.handle, { saved: 'code', code: (values.code ?? '').trim().toUpperCase() })}#codes` };
    return { kind: 'refused', status: httpStatus(r), coupon: { key: id.couponId === null ? 'new' : String(id.couponId), failure: r, values } };
  }
  return { kind: 'refused', status: 400, formError: 'Unknown action. Reload the page and try again.' };
}

export type CreatorsAdminOutcome =
  | { kind: 'done'; redirectTo: string }
  | {
      kind: 'refused';
      status: number;
      invite?: { errors: Record<string, string>; values: { email: string; handle: string; displayName: string; inviter: string } };
      rate?: { categoryId: number; message: string; value: string };
      formError?: string;
    };

/**
 * The admin creators list's forms: invite a creator (by the shop or on behalf of an inviter, who
 * then earns the one-level override), or set a category's commission rate.
 */
export async function runCreatorsAdminAction(app: App, { actor, form }: { actor: string; form: FormLike | null }): Promise<CreatorsAdminOutcome> {
  const str = (k: string) => String(form?.get(k) ?? '').slice(0, 300);
  const action = form?.get('action');
  if (form && action === 'invite') {
    const values = { email: str('email'), handle: str('handle'), displayName: str('displayName'), inviter: str('inviter') };
    const inviterId = /^\d{1,9}$/.test(values.inviter) ? Number(values.inviter) : null;
    if (values.inviter !== '' && inviterId === null) return { kind: 'refused', status: 400, invite: { errors: { form: 'Choose who invited this creator from the list.' }, values } };
    const r = await inviteCreator(app, { fields: values, inviterCreatorId: inviterId, invitedBy: actor });
    if (r.ok) {
      const email = values.email.trim().toLowerCase();
      return { kind: 'done', redirectTo: `${ADMIN_CREATORS_PATH}?invited=${encodeURIComponent(email)}${r.replaced ? '&replaced=1' : ''}#invites` };
    }
    return { kind: 'refused', status: httpStatus(r), invite: { errors: Object.keys(r.errors).length ? (r.errors as Record<string, string>) : { form: r.message }, values } };
  }
  if (form && action === 'category-rate') {
    const categoryId = Number(str('categoryId'));
    const r = Number.isSafeInteger(categoryId) ? await setCategoryRate(app.db, { categoryId, rate: str('rate') }) : refuse('not_found', 'No such category.');
    if (r.ok) return { kind: 'done', redirectTo: `${ADMIN_CREATORS_PATH}?rate=${categoryId}#categories` };
    return { kind: 'refused', status: httpStatus(r), rate: { categoryId, message: r.message, value: str('rate').slice(0, 20) } };
  }
  return { kind: 'refused', status: 400, formError: 'Unknown action. Reload the page and try again.' };
}
