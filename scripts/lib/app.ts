/**
 * The composition root for scripts (the seed, CLIs): the same `App` the pages build in
 * src/lib/app.ts, from the scripts' validated environment. Payments are always the built-in test
 * provider here (a script never charges a card) and mail stays in the outbox.
 */
import type { Db } from '../../src/server/db.ts';
import { appConfigFrom, createApp, type App } from '../../src/server/flows/index.ts';
import { createMailTransport } from '../../src/server/mail/index.ts';
import { createTestProvider } from '../../src/server/payments/index.ts';
import type { ScriptEnv } from '../env.ts';

export function scriptApp(db: Db, env: ScriptEnv): App {
  return createApp({ db, provider: createTestProvider(), mail: createMailTransport({ from: env.MAIL_FROM }), config: appConfigFrom(env), deliverMailAfterCommit: false });
}
