/**
 * Workflow: sign in with email and password (staff and creators). Validates the form (messages for
 * people), calls the auth capability (throttled per account and address, ADR 0021), and says what
 * the page does next: set the session and go on, or show which field is wrong, or how long to wait.
 */
import { z } from 'zod';
import { EMAIL_MAX, homePathFor, logIn, PASSWORD_MAX, waitInWords } from '../auth/index.ts';
import { fieldErrorsFromZod, refuse, safeNextPath, type Refusal } from '../shared/index.ts';
import type { App } from './app.ts';

const schema = z.object({
  email: z
    .string({ error: 'Enter your email address.' })
    .trim()
    .min(1, 'Enter your email address.')
    .max(EMAIL_MAX, 'That email address is too long.')
    .pipe(z.email('Enter a valid email address, like name@example.com.')),
  password: z.string({ error: 'Enter your password.' }).min(1, 'Enter your password.').max(PASSWORD_MAX, 'That password is too long.'),
  next: z.string().max(2000).optional(),
});

export type SignInOutcome =
  | { ok: true; token: string; expiresAt: number; redirectTo: string }
  | (Refusal<'invalid' | 'invalid_credentials' | 'throttled'> & { retryAfterSeconds?: number });


export async function signIn(
  app: App,
  { form, ip, previousSessionId }: { form: { email?: unknown; password?: unknown; next?: unknown }; ip: string | null; previousSessionId?: string | undefined },
): Promise<SignInOutcome> {
  const parsed = schema.safeParse({ email: form.email ?? '', password: form.password ?? '', next: form.next ?? undefined });
  if (!parsed.success) {
    const fieldErrors = fieldErrorsFromZod(parsed.error);
    return refuse('invalid', Object.values(fieldErrors).join(' '), fieldErrors);
  }
  const result = await logIn(app.db, { email: parsed.data.email, password: parsed.data.password, ip, previousSessionId });
  if (result.ok) {
    return { ok: true, token: result.token, expiresAt: result.expiresAt, redirectTo: safeNextPath(parsed.data.next, homePathFor(result.user.role)) };
  }
  if (result.reason === 'throttled') {
    return {
      ...refuse(
        'throttled',
        `Too many sign-in attempts. For your security, wait ${waitInWords(result.retryAfterSeconds)} before trying again — each further wrong password makes the wait longer.`,
      ),
      retryAfterSeconds: result.retryAfterSeconds,
    };
  }
  return refuse('invalid_credentials', 'That email and password do not match an account. Check them and try again.');
}
