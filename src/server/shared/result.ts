/**
 * Expected refusals, one shape for the whole app (docs/decisions/0011-application-layer.md).
 *
 * A capability or workflow that refuses answers `{ ok: false, reason, message, fieldErrors? }`:
 * `reason` is the machine code (one of `RefusalReason`), `message` is written for the person who
 * sees it (no zod, SQL, slugs or cents), and `fieldErrors` maps a form field's name to the message
 * shown next to it. Only bugs throw. Pages turn a refusal into an HTTP status with `httpStatus`,
 * the one reason→status map; no page keeps its own.
 */
import type { ZodError } from 'zod';

/** A form field's name → the message shown next to it. */
export type FieldErrors = Record<string, string>;

/**
 * Every reason a workflow may refuse, with the HTTP status a page answers with.
 * Add a reason here when a capability gains one; the type then accepts it everywhere.
 */
export const REFUSAL_STATUS = {
  // 400: the request itself is wrong (a field, a code, a form)
  invalid: 400,
  malformed: 400,
  invalid_email: 400,
  invalid_role: 400,
  weak_password: 400,
  coupon: 400,
  unknown_code: 400,
  unknown_variant: 400,
  unknown_source: 400,
  unknown_post: 400,
  unknown_card: 400,
  unknown_line: 400,
  unknown_creator: 400,
  unknown_inviter: 400,
  creator_required: 400,
  creator_not_allowed: 400,
  min_subtotal: 400,
  not_started: 400,
  expired_code: 400,
  missing_signature: 400,
  bad_signature: 400,
  bad_secret: 400,
  // 401: who you are was not proven
  invalid_credentials: 401,
  // 403: proven, but not enough for this (a help-cut needs a verified email)
  not_verified: 403,
  forbidden: 403,
  // a review needs a purchase that was paid and has arrived (src/server/reviews)
  not_eligible: 403,
  // 404: nothing there
  not_found: 404,
  unknown: 404,
  // 409: the world changed or the state does not allow it
  conflict: 409,
  changed: 409,
  stock_changed: 409,
  taken: 409,
  email_taken: 409,
  handle_taken: 409,
  already_invited: 409,
  already_paid: 409,
  not_allowed: 409,
  not_refundable: 409,
  nothing_to_refund: 409,
  nothing_to_pay: 409,
  too_many: 409,
  empty_bag: 409,
  unavailable: 409,
  sold_out: 409,
  not_enough_stock: 409,
  inactive: 409,
  line_limit: 409,
  bag_full: 409,
  email_limit: 409,
  used_up: 409,
  group_full: 409,
  already_member: 409,
  buyer_limit: 409,
  help_given: 409,
  self_help: 409,
  launch_limit: 409,
  not_yet: 409,
  // flash sales (src/server/sales): not yet on, over the buyer's limit, allotment taken
  sale_not_started: 409,
  sale_limit: 409,
  sale_sold_out: 409,
  already_reviewed: 409,
  already_reported: 409,
  alert_exists: 409,
  not_sold_out: 409,
  slug_taken: 409,
  // 410: it was there, it is over
  used: 410,
  expired: 410,
  group_ended: 410,
  launch_ended: 410,
  sale_ended: 410,
  // 429: slow down
  throttled: 429,
  daily_help_limit: 429,
  rate_limited: 429,
  // 502: a provider we depend on failed
  provider_failed: 502,
} as const satisfies Record<string, number>;

export type RefusalReason = keyof typeof REFUSAL_STATUS;

export interface Refusal<R extends RefusalReason = RefusalReason> {
  ok: false;
  reason: R;
  message: string;
  fieldErrors?: FieldErrors;
}

/** A success carrying `T`'s fields, or a refusal. */
export type Result<T extends object, R extends RefusalReason = RefusalReason> = ({ ok: true } & T) | Refusal<R>;

/**
 * @example refuse('not_found', 'No such order.') // { ok: false, reason: 'not_found', message: 'No such order.' }
 */
export function refuse<R extends RefusalReason>(reason: R, message: string, fieldErrors?: FieldErrors): Refusal<R> {
  return fieldErrors && Object.keys(fieldErrors).length > 0 ? { ok: false, reason, message, fieldErrors } : { ok: false, reason, message };
}

/** The HTTP status a page answers a refusal with (the one map). */
export function httpStatus(refusal: { reason: RefusalReason }): number {
  return REFUSAL_STATUS[refusal.reason];
}

export function isRefusal(x: unknown): x is Refusal {
  return typeof x === 'object' && x !== null && (x as { ok?: unknown }).ok === false && typeof (x as { reason?: unknown }).reason === 'string';
}

/**
 * Field errors from a zod failure, first message per field. Schemas carry their own messages for
 * people; a message that still reads like the validator's own ("Invalid input", "expected …") is
 * replaced by `fallback(field)`, so validator text never reaches a page.
 * @example fieldErrorsFromZod(schema.safeParse(form).error!, (f) => `Check the ${f}.`)
 */
export function fieldErrorsFromZod(error: ZodError, fallback: (field: string) => string = () => 'Check this value.'): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? String(issue.path[0]) : 'form';
    if (field in out) continue;
    out[field] = looksLikeValidatorText(issue.message) ? fallback(field) : issue.message;
  }
  return out;
}

/** zod's built-in messages ("Invalid input: expected string, received undefined", "Too small: …"). */
export function looksLikeValidatorText(message: string): boolean {
  return /^(Invalid|Too (small|big)|Expected|Required$|Unrecognized)|expected (one of|a |an |string|number)/i.test(message);
}

/** A refusal built from a zod failure: every field's message, and a summary sentence. */
export function invalidFields(error: ZodError, fallback?: (field: string) => string): Refusal<'invalid'> {
  const fieldErrors = fieldErrorsFromZod(error, fallback);
  return refuse('invalid', Object.values(fieldErrors).join(' '), fieldErrors);
}
