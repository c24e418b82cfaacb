import { describe, expect, it } from 'vitest';
import { astroEnvSchema, CONFIG_VARS, loadConfig } from '../../../src/server/shared/index.ts';

describe('one configuration schema', () => {
  it('gives the defaults when nothing is set', () => {
    const r = loadConfig({});
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.values).toMatchObject({ PORT: 4321, HOST: '127.0.0.1', SWEEP_INTERVAL_MS: 60_000, SECURE_COOKIES: false, SHOP_CURRENCY: 'USD' });
    expect(r.values.STRIPE_SECRET_KEY).toBeUndefined();
  });

  it('names every bad variable with a reason', () => {
    const r = loadConfig({ PORT: 'x', SWEEP_INTERVAL_MS: '-5', SECURE_COOKIES: 'yes', SHOP_CURRENCY: 'JPY', DATABASE_URL: 'postgres://x', STRIPE_SECRET_KEY: 'pk_live_1' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      'DATABASE_URL: must start with file:, libsql:, http(s): or ws(s):',
      'SHOP_CURRENCY: must be one of USD, EUR, GBP',
      'SECURE_COOKIES: must be true or false',
      'STRIPE_SECRET_KEY: must start with sk_',
      'PORT: must be a number',
      'SWEEP_INTERVAL_MS: must be at least 0',
    ]);
  });

  it('treats an empty variable as unset and parses numbers and booleans', () => {
    const r = loadConfig({ PORT: '', SECURE_COOKIES: 'true', RESERVATION_TTL_MINUTES: '20' });
    expect(r.ok && [r.values.PORT, r.values.SECURE_COOKIES, r.values.RESERVATION_TTL_MINUTES]).toEqual([4321, true, 20]);
  });

  it('declares the same variables to astro:env, minus those only scripts/serve.mjs reads', () => {
    const calls: [string, Record<string, unknown>][] = [];
    const field = (kind: string) => (o: Record<string, unknown>) => (calls.push([kind, o]), { kind, ...o });
    const schema = astroEnvSchema({ string: field('string'), number: field('number'), boolean: field('boolean'), enum: field('enum') });
    expect(Object.keys(schema).sort()).toEqual(Object.keys(CONFIG_VARS).filter((k) => !['HOST', 'PORT', 'SWEEP_INTERVAL_MS'].includes(k)).sort());
    expect(schema.COMMISSION_LOCK_DAYS).toEqual({ kind: 'number', context: 'server', access: 'secret', default: 30, int: true, min: 14, max: 90 });
    expect(schema.STRIPE_API_URL).toEqual({ kind: 'string', context: 'server', access: 'secret', optional: true, url: true });
    expect(calls.every(([, o]) => o.access === 'secret')).toBe(true);
  });
});
