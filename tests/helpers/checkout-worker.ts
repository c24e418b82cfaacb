/**
 * A second app instance for tests: its own process and database handle on the same file.
 * Usage: tsx tests/helpers/checkout-worker.ts <database-url> <cartId>…  → prints JSON results.
 */
import { openDb } from '../../src/server/db.ts';
import { placeTestOrder } from './checkout.ts';

const [url, ...carts] = process.argv.slice(2);
const db = await openDb({ url: url! });
const now = Number(process.env.NOW ?? Date.now());
const results = await Promise.all(carts.map((cartId) => placeTestOrder(db, cartId, { now }).then((r) => r.ok)));
process.stdout.write(JSON.stringify(results));
db.$client.close();
