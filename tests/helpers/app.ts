/**
 * The `App` the workflows receive, for tests: a real database, the built-in test payment provider
 * (or one the test passes), the outbox mail transport and the shop's default configuration — the
 * same composition src/lib/app.ts builds for pages and scripts/lib/app.ts for the seed.
 * @example const app = testApp(db); await applyPaymentEvent(app, event, { now });
 */
import type { Db } from '../../src/server/db.ts';
import { appConfigFrom, createApp, type App, type AppConfig } from '../../src/server/flows/index.ts';
import { createMailTransport } from '../../src/server/mail/index.ts';
import { createTestProvider, type PaymentProvider } from '../../src/server/payments/index.ts';
import { loadConfig } from '../../src/server/shared/index.ts';
import { TEST_CHECKOUT } from './checkout.ts';

const defaults = loadConfig({});
if (!defaults.ok) throw new Error(defaults.errors.join('; '));

/** The defaults, with the checkout of tests/helpers/checkout.ts (US, GB, DE). */
export const TEST_CONFIG: AppConfig = { ...appConfigFrom(defaults.values), checkout: TEST_CHECKOUT };

export function testApp(db: Db, { provider = createTestProvider(), config = {} }: { provider?: PaymentProvider; config?: Partial<AppConfig> } = {}): App {
  return createApp({ db, provider, mail: createMailTransport({ from: 'Lookbook <orders@lookbook.test>' }), config: { ...TEST_CONFIG, ...config }, deliverMailAfterCommit: false });
}
