/**
 * Runs the sweepers inside the app process (scripts/serve.mjs calls the registered function every
 * minute); `npm run jobs:sweep` runs the same once, for cron. Idempotent across instances.
 */
import { getDb, getMailTransport } from './runtime.ts';
import { getPaymentProvider, refundHooks } from './commerce.ts';
import { sweep } from '../server/jobs/sweep.ts';

export async function runSweep() {
  const db = await getDb();
  return sweep(db, { provider: await getPaymentProvider(), transport: getMailTransport(), refundHooks: await refundHooks(db) });
}

(globalThis as Record<symbol, unknown>)[Symbol.for('lookbook.sweep')] = runSweep;
