/**
 * The checkout form: contact, shipping address, shipping method, optional code. Pure validation
 * with messages next to each field (errors announced by the field and summarised on top).
 * Postcode and state/province follow the rules of the chosen country (src/server/shared/address.ts):
 * a US order needs a 5-digit ZIP and a state, a Canadian one a province, an Australian one a state;
 * each postcode is stored in its usual form ("sw1a2aa" → "SW1A 2AA").
 */
import { z } from 'zod';
import type { CheckoutConfig } from './pricing.ts';
import { checkPostcode, checkRegion } from '../shared/index.ts';

export interface CheckoutForm {
  email: string;
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postcode: string;
  country: string;
  shippingMethod: string;
  couponCode: string | null;
}

const text = (label: string, max: number, min = 1, tooShort = `Enter your ${label}.`) =>
  z
    .string({ error: `Enter your ${label}.` })
    .trim()
    .min(1, `Enter your ${label}.`)
    .min(min, tooShort)
    .max(max, `Keep your ${label} under ${max} characters.`)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), `Your ${label} contains characters we cannot print.`);
const hasLetter = (s: string) => /\p{L}/u.test(s);
const optionalText = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `Keep ${label} under ${max} characters.`)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), `${label} contains characters we cannot print.`)
    .transform((s) => (s === '' ? null : s))
    .optional()
    .transform((s) => s ?? null);

export function checkoutFormSchema(config: Pick<CheckoutConfig, 'countries' | 'shippingMethods'>) {
  return z.object({
    email: z
      .string({ error: 'Enter your email address.' })
      .trim()
      .toLowerCase()
      .max(254, 'That email address is too long.')
      .pipe(z.email('Enter an email address like name@example.com.')),
    // A carrier needs a name it can match at the door and a street it can find.
    name: text('full name', 100, 2, 'Enter your full name as it should appear on the parcel.').refine(hasLetter, 'Enter your full name as it should appear on the parcel.'),
    line1: text('street address', 120, 3, 'Enter your house number and street.').refine(hasLetter, 'Enter your house number and street.'),
    line2: optionalText('Apartment, suite', 120),
    city: text('city', 80, 2, 'Enter your town or city.').refine(hasLetter, 'Enter your town or city.'),
    region: optionalText('State or region', 80),
    postcode: z.string({ error: 'Enter your postcode.' }).max(20, 'Enter a valid postcode.'),
    country: z.string({ error: 'Choose a country.' }).refine((c) => config.countries.includes(c), 'We do not ship to that country yet.'),
    shippingMethod: z
      .string({ error: 'Choose a shipping method.' })
      .refine((m) => config.shippingMethods.some((s) => s.id === m), 'Choose a shipping method.'),
    couponCode: z
      .string()
      .trim()
      .toUpperCase()
      .max(40, 'That code is too long.')
      .regex(/^[A-Z0-9_-]*$/, 'Codes use letters, digits and dashes only.')
      .transform((s) => (s === '' ? null : s))
      .optional()
      .transform((s) => s ?? null),
  });
}

export type FieldErrors = Partial<Record<keyof CheckoutForm | 'form', string>>;

export function parseCheckoutForm(
  fields: Record<string, string | undefined>,
  config: Pick<CheckoutConfig, 'countries' | 'shippingMethods'>,
): { ok: true; value: CheckoutForm } | { ok: false; errors: FieldErrors } {
  const r = checkoutFormSchema(config).safeParse(fields);
  const errors: FieldErrors = {};
  for (const i of r.success ? [] : r.error.issues) {
    const k = String(i.path[0] ?? 'form') as keyof FieldErrors;
    errors[k] ??= i.message;
  }
  // Postcode and state/province follow the country's rules, checked even when other fields fail
  // so every message shows at once. A country we do not ship to gets only the generic postcode check.
  const country = typeof fields.country === 'string' && config.countries.includes(fields.country) ? fields.country : '';
  let postcode: string | null = null;
  let region: string | null = null;
  const p = checkPostcode(country, typeof fields.postcode === 'string' ? fields.postcode : '');
  if (p.ok) postcode = p.value;
  else errors.postcode ??= p.message;
  if (country) {
    const g = checkRegion(country, r.success ? r.data.region : typeof fields.region === 'string' ? fields.region : '');
    if (g.ok) region = g.value;
    else errors.region ??= g.message;
  }
  if (!r.success || Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { ...r.data, postcode: postcode ?? '', region } };
}
