/**
 * The admin's customers: the list (search by email, sort, 50 a page) and one customer's page with
 * their orders. Reads only; a bad query string or an unknown address is a value, not a throw.
 */
import {
  adminCustomerHref,
  customerEmailFromSegment,
  getCustomer,
  listCustomers,
  parseCustomerQuery,
  type CustomerDetail,
  type CustomerPage,
  type CustomerQueryError,
} from '../admin/index.ts';
import type { App } from './app.ts';

export type CustomerListOutcome = { ok: true; page: CustomerPage } | { ok: false; status: 400; errors: CustomerQueryError[] };

export async function customerList(app: App, params: URLSearchParams): Promise<CustomerListOutcome> {
  const parsed = parseCustomerQuery(params);
  if (!parsed.ok) return { ok: false, status: 400, errors: parsed.errors };
  return { ok: true, page: await listCustomers(app.db, parsed.query) };
}

export type CustomerPageOutcome =
  | { kind: 'found'; customer: CustomerDetail }
  /** The address was written another way (case, spaces, an unescaped "@"): its one URL. */
  | { kind: 'redirect'; to: string }
  | { kind: 'not_found' };

/** `segment` is the path segment after /admin/customers/, still percent-encoded. */
export async function customerPage(app: App, segment: string): Promise<CustomerPageOutcome> {
  const parsed = customerEmailFromSegment(segment);
  if (!parsed) return { kind: 'not_found' };
  const customer = await getCustomer(app.db, parsed.email);
  if (!customer) return { kind: 'not_found' };
  if (!parsed.canonicalPath) return { kind: 'redirect', to: adminCustomerHref(customer.email) };
  return { kind: 'found', customer };
}
