/**
 * GET /healthz — for load balancers and for scripts/serve.mjs, which calls it once at start-up so
 * that a bad configuration (astro:env validation names the variable) or an unreachable database
 * stops the process at once instead of failing the first reader.
 */
import type { APIRoute } from 'astro';
import { getDb } from '../lib/runtime.ts';
import { checkoutConfig } from '../lib/app.ts';
import { creditSettings } from '../lib/credit.ts';

export const GET: APIRoute = async () => {
  const db = await getDb();
  await db.$client.execute('select 1');
  // Touch the parsed configuration so every variable is validated now.
  const ok = checkoutConfig.countries.length > 0 && creditSettings.lockDays > 0;
  return new Response(ok ? 'ok\n' : 'misconfigured\n', { status: ok ? 200 : 500, headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' } });
};
