/**
 * The checkout form: contact, shipping address, shipping method, optional code. Pure validation
 * with messages next to each field (DESIGN: errors announced by the field and summarised on top).
 */
import { z } from 'zod';
import type { CheckoutConfig } from './pricing.ts';

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

const text = (label: string, max: number) =>
  z
    .string({ error: `Enter your ${label}.` })
    .trim()
    .min(1, `Enter your ${label}.`)
    .max(max, `Keep your ${label} under ${max} characters.`)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), `Your ${label} contains characters we cannot print.`);
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
    name: text('full name', 100),
    line1: text('street address', 120),
    line2: optionalText('Apartment, suite', 120),
    city: text('city', 80),
    region: optionalText('State or region', 80),
    postcode: z
      .string({ error: 'Enter your postcode.' })
      .trim()
      .toUpperCase()
      .regex(/^[A-Z0-9][A-Z0-9 -]{1,10}$/, 'Enter a valid postcode.'),
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
  if (r.success) return { ok: true, value: r.data };
  const errors: FieldErrors = {};
  for (const i of r.error.issues) {
    const k = String(i.path[0] ?? 'form') as keyof FieldErrors;
    errors[k] ??= i.message;
  }
  return { ok: false, errors };
}
