/**
 * Start-up with a bad configuration fails at once, with a message naming the variable,
 * instead of serving 500s. Uses the build made by the e2e global setup.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { freePort, ROOT } from '../../scripts/lib/serve-built.ts';

async function start(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'lookbook-startup-'));
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/serve.mjs')], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      LOOKBOOK_DIST: join(ROOT, 'tests/.tmp/e2e-dist'),
      DATABASE_URL: inject('databaseUrl') ?? `file:${join(dir, 'x.db')}`,
      NO_COLOR: '1',
      SWEEP_INTERVAL_MS: '0',
      ...env,
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe('start-up configuration', () => {
  it('refuses a non-numeric setting and names it', async () => {
    const r = await start({ RESERVATION_TTL_MINUTES: 'abc' });
    expect(r.status).toBe(1);
    expect(r.out).toContain('RESERVATION_TTL_MINUTES');
    expect(r.out).toContain('could not start');
  });
  it('refuses a non-numeric port or sweep interval instead of silently never sweeping', async () => {
    const sweep = await start({ SWEEP_INTERVAL_MS: 'often' });
    expect(sweep.status).toBe(1);
    expect(sweep.out).toContain('SWEEP_INTERVAL_MS: must be a number');
    const port = await start({ PORT: '99999' });
    expect(port.status).toBe(1);
    expect(port.out).toContain('PORT: must be at most 65535');
  });
  it('refuses an out-of-range lock window and a bad country list', async () => {
    const lock = await start({ COMMISSION_LOCK_DAYS: '7' });
    expect(lock.status).toBe(1);
    expect(lock.out).toContain('COMMISSION_LOCK_DAYS');
    const countries = await start({ SHIP_COUNTRIES: 'US,Germany' });
    expect(countries.status).toBe(1);
    expect(countries.out).toContain('SHIP_COUNTRIES');
  });
});
