/**
 * A local stub of the Stripe API (node:http on 127.0.0.1): just what the provider calls, recording
 * every request. Integration tests point a Stripe client at it; the e2e suite points the built
 * server at it with STRIPE_API_URL, so nothing touches the internet.
 *
 * - POST /v1/checkout/sessions — a session per idempotency key (like Stripe), its `url` from
 *   `checkoutUrl` (default checkout.stripe.com; the e2e suite uses `stub.payPageUrl`, a page of the
 *   stub, so a browser can follow it);
 * - POST /v1/checkout/sessions/:id/expire — expires an open session (400 if it is not open);
 * - POST /v1/refunds — succeeds, unless `failRefunds`;
 * - GET /c/pay/:id — a plain page standing in for Stripe's hosted checkout.
 *
 * @example
 *   const stub = await startStripeStub();
 *   const stripe = new Stripe('sk_test_x', { host: '127.0.0.1', port: stub.port, protocol: 'http' });
 *   …; stub.requests; await stub.close();
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  method: string;
  path: string;
  body: Record<string, string>;
  idempotencyKey: string | undefined;
  authorization: string | undefined;
}

export interface StubSession {
  id: string;
  status: 'open' | 'expired';
  /** The form-encoded request that created it. */
  body: Record<string, string>;
}

export interface StripeStub {
  server: Server;
  port: number;
  /** e.g. http://127.0.0.1:41234 — the value for STRIPE_API_URL. */
  url: string;
  requests: StubRequest[];
  /** Sessions by id. */
  sessions: Map<string, StubSession>;
  /** Make the next refund requests fail with a Stripe error. */
  failRefunds: boolean;
  /** The stub's stand-in for Stripe's hosted payment page. */
  payPageUrl(sessionId: string): string;
  close(): Promise<void>;
}

let seq = 0;
/** A Stripe-looking id: prefix + time + counter, unique within the process. */
export const rid = (prefix: string) => `${prefix}${Date.now().toString(36)}${(++seq).toString(36).padStart(6, '0')}`;

export async function startStripeStub({ checkoutUrl }: { checkoutUrl?: (sessionId: string, stub: StripeStub) => string } = {}): Promise<StripeStub> {
  const stub: StripeStub = {
    server: undefined as unknown as Server,
    port: 0,
    url: '',
    requests: [],
    sessions: new Map(),
    failRefunds: false,
    payPageUrl: (id) => `${stub.url}/c/pay/${id}`,
    close: () => new Promise<void>((resolve) => stub.server.close(() => resolve())),
  };
  const byKey = new Map<string, string>(); // idempotency key → session id, like Stripe
  const sessionJson = (s: StubSession) => ({
    id: s.id,
    object: 'checkout.session',
    mode: s.body.mode,
    status: s.status,
    payment_status: 'unpaid',
    url: s.status === 'open' ? (checkoutUrl ? checkoutUrl(s.id, stub) : `https://checkout.stripe.com/c/pay/${s.id}`) : null,
    client_reference_id: s.body.client_reference_id ?? null,
    customer_email: s.body.customer_email ?? null,
    metadata: { order_id: s.body['metadata[order_id]'], order_number: s.body['metadata[order_number]'] },
    expires_at: Number(s.body.expires_at),
    success_url: s.body.success_url ?? null,
    cancel_url: s.body.cancel_url ?? null,
    payment_intent: null,
  });
  stub.server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const body = Object.fromEntries(new URLSearchParams(raw));
      const idempotencyKey = req.headers['idempotency-key'] as string | undefined;
      const path = (req.url ?? '').split('?')[0]!;
      const send = (status: number, json: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': rid('req_') });
        res.end(JSON.stringify(json));
      };
      if (req.method === 'GET' && path.startsWith('/c/pay/')) {
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        res.end(`<!doctype html><title>Stripe stub checkout</title><h1>Stripe stub checkout</h1><p>${path.slice(7).replace(/[^A-Za-z0-9_]/g, '')}</p>`);
        return;
      }
      stub.requests.push({ method: req.method ?? '', path, body, idempotencyKey, authorization: req.headers.authorization });
      if (req.method === 'POST' && path === '/v1/checkout/sessions') {
        const known = idempotencyKey ? byKey.get(idempotencyKey) : undefined;
        const session = (known && stub.sessions.get(known)) || { id: rid('cs_test_'), status: 'open' as const, body };
        if (idempotencyKey) byKey.set(idempotencyKey, session.id);
        stub.sessions.set(session.id, session);
        return send(200, sessionJson(session));
      }
      const expire = /^\/v1\/checkout\/sessions\/([A-Za-z0-9_]+)\/expire$/.exec(path);
      if (req.method === 'POST' && expire) {
        const session = stub.sessions.get(expire[1]!);
        if (!session) return send(404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such checkout.session: '${expire[1]}'` } });
        if (session.status !== 'open') {
          return send(400, { error: { type: 'invalid_request_error', message: 'Only Checkout Sessions with a status of open can be expired.' } });
        }
        session.status = 'expired';
        return send(200, sessionJson(session));
      }
      if (req.method === 'POST' && path === '/v1/refunds') {
        if (stub.failRefunds) {
          return send(400, { error: { type: 'invalid_request_error', code: 'charge_already_refunded', message: 'Charge has already been refunded.' } });
        }
        return send(200, { id: rid('re_'), object: 'refund', amount: Number(body.amount), payment_intent: body.payment_intent, status: 'succeeded' });
      }
      send(404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${path})` } });
    });
  });
  await new Promise<void>((resolve) => stub.server.listen(0, '127.0.0.1', resolve));
  stub.port = (stub.server.address() as AddressInfo).port;
  stub.url = `http://127.0.0.1:${stub.port}`;
  return stub;
}

/** The line items of a recorded session request, from its form-encoded body. */
export function lineItemsOf(body: Record<string, string>) {
  const items: { name: string; description?: string; currency: string; unitAmount: number; quantity: number }[] = [];
  for (let i = 0; body[`line_items[${i}][quantity]`] !== undefined; i++) {
    const p = `line_items[${i}]`;
    items.push({
      name: body[`${p}[price_data][product_data][name]`]!,
      description: body[`${p}[price_data][product_data][description]`],
      currency: body[`${p}[price_data][currency]`]!,
      unitAmount: Number(body[`${p}[price_data][unit_amount]`]),
      quantity: Number(body[`${p}[quantity]`]),
    });
  }
  return items;
}

/** Stripe events as Stripe sends them (only the fields the webhook reads, plus a few for realism). */
export const stripeEvents = {
  session(
    type: 'checkout.session.completed' | 'checkout.session.async_payment_succeeded' | 'checkout.session.async_payment_failed' | 'checkout.session.expired',
    o: { orderId: number; number: string; sessionId: string; paymentIntent: string | null },
    { id = rid('evt_test'), paymentStatus = 'paid' as 'paid' | 'unpaid' | 'no_payment_required' } = {},
  ) {
    return {
      id,
      object: 'event',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      type,
      data: {
        object: {
          id: o.sessionId,
          object: 'checkout.session',
          mode: 'payment',
          status: type === 'checkout.session.expired' ? 'expired' : 'complete',
          payment_status: type === 'checkout.session.expired' ? 'unpaid' : paymentStatus,
          payment_intent: type === 'checkout.session.expired' ? null : o.paymentIntent,
          client_reference_id: String(o.orderId),
          metadata: { order_id: String(o.orderId), order_number: o.number },
          amount_total: 999_999, // never trusted
        },
      },
    };
  },
  chargeRefunded(paymentIntent: string, amountRefunded: number, { id = rid('evt_test'), currency = 'usd', metadata = {} as Record<string, string> } = {}) {
    return {
      id,
      object: 'event',
      type: 'charge.refunded',
      created: Math.floor(Date.now() / 1000),
      livemode: false,
      data: { object: { id: rid('ch_test'), object: 'charge', amount_refunded: amountRefunded, currency, payment_intent: paymentIntent, metadata } },
    };
  },
};
