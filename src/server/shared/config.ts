/**
 * Every configuration variable, declared once (docs/decisions/0013-one-config-schema.md).
 *
 * `CONFIG_VARS` is the single list. From it come:
 * - `astroEnvSchema(envField)`: the `env.schema` of astro.config.mjs, so the server reads each
 *   variable through astro:env/server, validated at start-up, never inlined into a bundle;
 * - `loadConfig(env)`: the same rules with zod for the scripts and scripts/serve.mjs (HOST, PORT,
 *   SWEEP_INTERVAL_MS included), failing fast with a message naming the variable;
 * - `appConfigFrom(values)`: the shop's `AppConfig` for the workflows, from either source.
 *
 * Written in erasable TypeScript only: scripts/serve.mjs imports it with Node's type stripping.
 */
import { z } from 'zod';

type Var =
  | { kind: 'string'; default?: string; optional?: true; min?: number; max?: number; url?: true; startsWith?: string; pattern?: RegExp; patternMessage?: string; doc: string }
  | { kind: 'number'; default: number; min: number; max: number; doc: string }
  | { kind: 'boolean'; default: boolean; doc: string }
  | { kind: 'enum'; values: readonly [string, ...string[]]; default: string; doc: string };

export const CONFIG_VARS = {
  DATABASE_URL: {
    kind: 'string',
    default: 'file:db/local.db',
    pattern: /^(file:|libsql:|https?:|wss?:)/,
    patternMessage: 'must start with file:, libsql:, http(s): or ws(s):',
    doc: 'libSQL URL: a local file, or a libSQL server / Turso',
  },
  DATABASE_AUTH_TOKEN: { kind: 'string', optional: true, min: 1, doc: 'token for a remote libSQL database' },
  SHOP_NAME: { kind: 'string', default: 'Lookbook', min: 1, max: 60, doc: 'shown in the header, titles and mail' },
  SHOP_CURRENCY: { kind: 'enum', values: ['USD', 'EUR', 'GBP'], default: 'USD', doc: 'ISO 4217 code; money is integer minor units' },
  SHOP_LOCALE: { kind: 'enum', values: ['en-US', 'en-GB', 'de-DE', 'fr-FR'], default: 'en-US', doc: 'locale of money and dates' },
  SHOP_TIME_ZONE: {
    kind: 'string',
    default: 'UTC',
    pattern: /^(UTC|[A-Z][A-Za-z_]+(\/[A-Za-z0-9_+-]+){1,2})$/,
    patternMessage: 'must be an IANA time zone such as Europe/London or America/New_York',
    doc: "the shop's day (help-cut daily limits reset at its midnight)",
  },
  RENDER_CACHE_ENTRIES: { kind: 'number', default: 500, min: 0, max: 100_000, doc: 'pages kept by the render cache per process' },
  SHARE_CARD_CACHE_MB: { kind: 'number', default: 32, min: 0, max: 4096, doc: 'share-card PNGs kept in memory per process (MB; ADR 0054)' },
  SECURE_COOKIES: { kind: 'boolean', default: false, doc: 'true behind HTTPS' },
  SMTP_URL: { kind: 'string', optional: true, doc: 'smtp://user:pass@host:587; unset = outbox at /dev/mail' },
  MAIL_FROM: { kind: 'string', default: 'Lookbook <orders@lookbook.test>', min: 3, doc: 'sender' },
  SITE_URL: { kind: 'string', default: 'http://127.0.0.1:4321', url: true, doc: 'public origin' },
  STRIPE_SECRET_KEY: { kind: 'string', optional: true, startsWith: 'sk_', doc: 'Stripe secret key; unset = test payments' },
  STRIPE_WEBHOOK_SECRET: { kind: 'string', optional: true, startsWith: 'whsec_', doc: 'Stripe webhook signing secret' },
  STRIPE_API_URL: { kind: 'string', optional: true, url: true, doc: 'another Stripe API origin (a local stub in tests)' },
  RESERVATION_TTL_MINUTES: { kind: 'number', default: 15, min: 1, max: 120, doc: 'how long checkout holds stock' },
  SHIP_COUNTRIES: { kind: 'string', default: 'US,CA,GB,IE,DE,FR,NL,AU', doc: 'countries checkout accepts' },
  SHIPPING_STANDARD_CENTS: { kind: 'number', default: 595, min: 0, max: 100_000, doc: 'standard delivery, minor units' },
  SHIPPING_EXPRESS_CENTS: { kind: 'number', default: 1495, min: 0, max: 100_000, doc: 'express delivery, minor units' },
  FREE_SHIPPING_OVER_CENTS: { kind: 'number', default: 15_000, min: 0, max: 10_000_000, doc: 'free standard shipping from this subtotal' },
  ATTRIBUTION_WINDOW_DAYS: { kind: 'number', default: 30, min: 1, max: 90, doc: 'a referral click counts this long' },
  SAVED_CREDIT_DAYS: { kind: 'number', default: 90, min: 1, max: 365, doc: 'a saved item credits the post or board it was saved from this long' },
  COMMISSION_DEFAULT_RATE_BPS: { kind: 'number', default: 1000, min: 0, max: 5000, doc: 'default commission, basis points' },
  COMMISSION_LOCK_DAYS: { kind: 'number', default: 30, min: 14, max: 90, doc: 'pending → approved after this many days' },
  PAYOUT_THRESHOLD_CENTS: { kind: 'number', default: 2500, min: 0, max: 10_000_000, doc: 'minimum approved balance for a payout' },
  REVIEW_AFTER_SHIPPED_DAYS: { kind: 'number', default: 14, min: 1, max: 90, doc: 'a buyer may review a line this long after its parcel shipped, even if never marked delivered' },
  // Read by scripts/serve.mjs only (the process around the built app).
  HOST: { kind: 'string', default: '127.0.0.1', min: 1, doc: 'where npm run serve listens' },
  PORT: { kind: 'number', default: 4321, min: 1, max: 65_535, doc: 'where npm run serve listens' },
  SWEEP_INTERVAL_MS: { kind: 'number', default: 60_000, min: 0, max: 86_400_000, doc: 'how often the sweepers run (0: never)' },
} as const satisfies Record<string, Var>;

/** Variables the built app reads through astro:env (the rest belong to scripts/serve.mjs). */
const SERVE_ONLY = new Set(['HOST', 'PORT', 'SWEEP_INTERVAL_MS']);

type Vars = typeof CONFIG_VARS;
type ValueOf<V> = V extends { kind: 'number' }
  ? number
  : V extends { kind: 'boolean' }
    ? boolean
    : V extends { kind: 'enum'; values: readonly (infer E)[] }
      ? E
      : V extends { optional: true }
        ? string | undefined
        : string;
export type ConfigValues = { [K in keyof Vars]: ValueOf<Vars[K]> };

function zodFor(v: Var): z.ZodType {
  switch (v.kind) {
    case 'number':
      return z.coerce
        .number({ error: 'must be a number' })
        .int('must be a whole number')
        .min(v.min, `must be at least ${v.min}`)
        .max(v.max, `must be at most ${v.max}`)
        .default(v.default);
    case 'boolean':
      return z
        .enum(['true', 'false'], { error: 'must be true or false' })
        .default(v.default ? 'true' : 'false')
        .transform((s) => s === 'true');
    case 'enum':
      return z.enum(v.values, { error: `must be one of ${v.values.join(', ')}` }).default(v.default);
    case 'string': {
      let s = z.string();
      if (v.min !== undefined) s = s.min(v.min, `must be at least ${v.min} characters`);
      if (v.max !== undefined) s = s.max(v.max, `must be at most ${v.max} characters`);
      if (v.startsWith) s = s.startsWith(v.startsWith, `must start with ${v.startsWith}`);
      if (v.url) s = s.refine((x) => URL.canParse(x), 'must be a URL such as https://shop.example');
      if (v.pattern) s = s.regex(v.pattern, v.patternMessage ?? 'is not in the expected form');
      return v.optional ? s.optional() : s.default(v.default ?? '');
    }
  }
}

/**
 * Validates the environment with the same rules the server applies.
 * @example loadConfig({ PORT: 'x' }) // { ok: false, errors: ['PORT: must be a number'] }
 */
export function loadConfig(env: Record<string, string | undefined>): { ok: true; values: ConfigValues } | { ok: false; errors: string[] } {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, v] of Object.entries(CONFIG_VARS)) shape[name] = zodFor(v as Var);
  // An empty variable (FOO=) counts as unset, as astro:env treats it.
  const present = Object.fromEntries(Object.keys(CONFIG_VARS).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = z.object(shape).safeParse(present);
  if (!parsed.success) return { ok: false, errors: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  return { ok: true, values: parsed.data as ConfigValues };
}

/** Like loadConfig, for a command-line entry point: prints what is wrong and exits. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env): ConfigValues {
  const r = loadConfig(env);
  if (r.ok) return r.values;
  console.error(`Invalid environment:\n${r.errors.map((e) => `  ${e}`).join('\n')}`);
  process.exit(1);
}

// The shape of Astro's `envField` (astro/config), typed loosely so this file need not import Astro.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FieldFn = (options: any) => unknown;
type EnvField = { string: FieldFn; number: FieldFn; boolean: FieldFn; enum: FieldFn };
type FieldOf<F extends EnvField> = ReturnType<F['string']> | ReturnType<F['number']> | ReturnType<F['boolean']> | ReturnType<F['enum']>;

/** astro.config.mjs `env.schema`: every app variable as a server secret (read at run time only). */
export function astroEnvSchema<F extends EnvField>(envField: F): Record<string, FieldOf<F>> {
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(CONFIG_VARS)) {
    if (SERVE_ONLY.has(name)) continue;
    const v = raw as Var;
    const base = { context: 'server', access: 'secret' } as const;
    switch (v.kind) {
      case 'number':
        out[name] = envField.number({ ...base, default: v.default, int: true, min: v.min, max: v.max });
        break;
      case 'boolean':
        out[name] = envField.boolean({ ...base, default: v.default });
        break;
      case 'enum':
        out[name] = envField.enum({ ...base, values: [...v.values], default: v.default });
        break;
      case 'string':
        out[name] = envField.string({
          ...base,
          ...(v.optional ? { optional: true } : { default: v.default }),
          ...(v.min !== undefined ? { min: v.min } : {}),
          ...(v.max !== undefined ? { max: v.max } : {}),
          ...(v.url ? { url: true } : {}),
          ...(v.startsWith ? { startsWith: v.startsWith } : {}),
        });
        break;
    }
  }
  return out as Record<string, FieldOf<F>>;
}
