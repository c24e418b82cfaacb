/**
 * Workflow of the admin coupons page: create a shop coupon, or switch one on or off. The form's
 * values come back for re-rendering when something is wrong; nothing is written then.
 */
import { createShopCoupon, setShopCouponActive, type ShopCouponErrors } from '../checkout/index.ts';
import { refuse, type Refusal } from '../shared/index.ts';
import type { App } from './app.ts';

/** The create form's fields and their empty values. */
export const SHOP_COUPON_FORM = { code: '', kind: 'percent', percentOff: '', amountOff: '', minSubtotal: '', startsOn: '', endsOn: '', maxRedemptions: '', perEmailLimit: '', active: 'on' };

export type CouponAdminOutcome =
  | { kind: 'done'; done: 'created' | 'activated' | 'deactivated' }
  | { kind: 'refused'; refusal: Refusal; values: Record<string, string>; errors: ShopCouponErrors };

type FormLike = { get(name: string): FormDataEntryValue | null };

export async function runCouponAdminAction(app: App, { form, now = Date.now() }: { form: FormLike | null; now?: number }): Promise<CouponAdminOutcome> {
  const str = (k: string) => String(form?.get(k) ?? '').slice(0, 100);
  const values = Object.fromEntries(Object.keys(SHOP_COUPON_FORM).map((k) => [k, str(k)]));
  const action = form?.get('action');
  if (form && action === 'create') {
    const r = await createShopCoupon(app.db, values, now, { fractionDigits: app.fmt.fractionDigits });
    if (r.ok) return { kind: 'done', done: 'created' };
    return { kind: 'refused', refusal: r, values, errors: r.errors };
  }
  if (form && action === 'toggle') {
    const id = /^\d{1,9}$/.test(str('id')) ? Number(str('id')) : null;
    const r = id === null ? null : await setShopCouponActive(app.db, id, str('active') === '1');
    if (r?.ok) return { kind: 'done', done: r.active ? 'activated' : 'deactivated' };
    return { kind: 'refused', refusal: refuse('not_found', 'That coupon no longer exists. Reload the page and try again.'), values: { ...SHOP_COUPON_FORM }, errors: {} };
  }
  return { kind: 'refused', refusal: refuse('invalid', 'Unknown action. Reload the page and try again.'), values: { ...SHOP_COUPON_FORM }, errors: {} };
}
