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
 * - POST /v1/payment_intents/:id/capture and …/cancel — manual capture (below);
 * - GET /c/pay/:id — a plain page standing in for Stripe's hosted checkout.
 *
 * Manual capture (https://docs.stripe.com/payments/place-a-hold-on-a-payment-method): a session
 * created with `payment_intent_data[capture_method]=manual` remembers that and its amount (lines +
 * shipping). `stub.authorise(sessionId)` stands in for the buyer completing it: the session becomes
 * complete with a PaymentIntent in `requires_capture` holding the amount. Capture moves it to
 * `succeeded` (amount_to_capture ≤ amount_capturable), cancel to `canceled`; any other transition
 * is answered as Stripe does, 400 `payment_intent_unexpected_state` with the PaymentIntent attached.
 * `stub.lapse(id)` is Stripe canceling an authorisation that was not captured in time. Like Stripe,
 * a capture or cancel repeated with the same Idempotency-Key gets the first answer again and
 * changes nothing; the same key with other parameters is refused.
 *
 * @example
 *   const stub = await startStripeStub();
 *   const stripe = new Stripe('sk_test_x', { host: '127.0.0.1', port: stub.port, protocol: 'http' });
 *   …; stub.requests; await stub.close();
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';

export interface StubRequest {
  method: string;
  path: string;
  body: Record<string, string>;
  idempotencyKey: string | undefined;
  authorization: string | undefined;
}

export interface StubSession {
  id: string;
  status: 'open' | 'expired' | 'complete';
  /** The form-encoded request that created it. */
  body: Record<string, string>;
  /** `payment_intent_data[capture_method]` of that request ('automatic' when absent, like Stripe). */
  captureMethod: 'automatic' | 'manual';
  /** What the session charges: its lines plus shipping, in minor units. */
  amountTotal: number;
  /** Set once the session completed (`authorise`). */
  paymentIntent: string | null;
}

export interface StubPaymentIntent {
  id: string;
  status: 'requires_capture' | 'succeeded' | 'canceled';
  captureMethod: 'automatic' | 'manual';
  currency: string;
  amount: number;
  amountCapturable: number;
  amountReceived: number;
  /** The charge that holds the money: made at authorisation, captured in place. */
  latestCharge: string;
  cancellationReason: 'automatic' | null;
  metadata: Record<string, string>;
  sessionId: string;
}

export interface StripeStub {
  server: Server;
  port: number;
  /** e.g. http://127.0.0.1:41234 — the value for STRIPE_API_URL. */
  url: string;
  requests: StubRequest[];
  /** Sessions by id. */
  sessions: Map<string, StubSession>;
  /** PaymentIntents by id (manual-capture sessions that were authorised). */
  paymentIntents: Map<string, StubPaymentIntent>;
  /**
   * The buyer completes a manual-capture session: the card is authorised for the session's amount.
   * Throws for a session that is unknown, not open, or not manual capture (a mistake in the test).
   */
  authorise(sessionId: string): StubPaymentIntent;
  /** Stripe cancels an authorisation that was not captured in time (7 days for cards). */
  lapse(paymentIntentId: string): void;
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
    paymentIntents: new Map(),
    authorise(sessionId) {
      const session = stub.sessions.get(sessionId);
      if (!session || session.status !== 'open' || session.captureMethod !== 'manual') {
        throw new Error(`stub.authorise: ${sessionId} is not an open manual-capture session`);
      }
      const intent: StubPaymentIntent = {
        id: rid('pi_test'),
        status: 'requires_capture',
        captureMethod: 'manual',
        currency: session.body['line_items[0][price_data][currency]'] ?? 'usd',
        amount: session.amountTotal,
        amountCapturable: session.amountTotal,
        amountReceived: 0,
        latestCharge: rid('ch_test'),
        cancellationReason: null,
        metadata: prefixed(session.body, 'payment_intent_data[metadata]'),
        sessionId,
      };
      stub.paymentIntents.set(intent.id, intent);
      session.status = 'complete';
      session.paymentIntent = intent.id;
      return intent;
    },
    lapse(paymentIntentId) {
      const intent = stub.paymentIntents.get(paymentIntentId);
      if (!intent || intent.status !== 'requires_capture') throw new Error(`stub.lapse: ${paymentIntentId} is not awaiting capture`);
      Object.assign(intent, { status: 'canceled', amountCapturable: 0, cancellationReason: 'automatic' });
    },
    failRefunds: false,
    payPageUrl: (id) => `${stub.url}/c/pay/${id}`,
    close: () => new Promise<void>((resolve) => stub.server.close(() => resolve())),
  };
  const byKey = new Map<string, string>(); // idempotency key → session id, like Stripe
  // idempotency key → the first capture/cancel request with it and its answer, like Stripe
  const intentAnswers = new Map<string, { path: string; body: string; status: number; json: unknown }>();
  const sessionJson = (s: StubSession) => ({
    id: s.id,
    object: 'checkout.session',
    mode: s.body.mode,
    status: s.status,
    payment_status: 'unpaid',
    url: s.status === 'open' ? (checkoutUrl ? checkoutUrl(s.id, stub) : `https://checkout.stripe.com/c/pay/${s.id}`) : null,
    client_reference_id: s.body.client_reference_id ?? null,
    customer_email: s.body.customer_email ?? null,
    metadata: { order_id: s.body['metadata[order_id]'], order_number: s.body['metadata[order_number]'], ...(s.body['metadata[capture]'] ? { capture: s.body['metadata[capture]'] } : {}) },
    expires_at: Number(s.body.expires_at),
    success_url: s.body.success_url ?? null,
    cancel_url: s.body.cancel_url ?? null,
    payment_intent: s.paymentIntent,
  });
  const intentJson = (pi: StubPaymentIntent) => ({
    id: pi.id,
    object: 'payment_intent',
    amount: pi.amount,
    amount_capturable: pi.amountCapturable,
    amount_received: pi.amountReceived,
    capture_method: pi.captureMethod,
    currency: pi.currency,
    status: pi.status,
    cancellation_reason: pi.cancellationReason,
    latest_charge: pi.latestCharge,
    metadata: pi.metadata,
  });
  const unexpectedState = (pi: StubPaymentIntent, verb: 'captured' | 'canceled', allowed: string) => ({
    error: {
      type: 'invalid_request_error',
      code: 'payment_intent_unexpected_state',
      doc_url: 'https://stripe.com/docs/error-codes/payment-intent-unexpected-state',
      message: `This PaymentIntent could not be ${verb} because it has a status of ${pi.status}. Only a PaymentIntent with one of the following statuses may be ${verb}: ${allowed}.`,
      payment_intent: intentJson(pi),
    },
  });
  /** Capture or cancel, as Stripe answers it (status and JSON), changing the PaymentIntent on success. */
  const actOnIntent = (action: 'capture' | 'cancel', id: string, body: Record<string, string>): [number, unknown] => {
    const pi = stub.paymentIntents.get(id);
    if (!pi) return [404, { error: { type: 'invalid_request_error', code: 'resource_missing', param: 'intent', message: `No such payment_intent: '${id}'` } }];
    if (action === 'capture') {
      if (pi.status !== 'requires_capture') return [400, unexpectedState(pi, 'captured', 'requires_capture')];
      const amount = body.amount_to_capture === undefined ? pi.amountCapturable : Number(body.amount_to_capture);
      if (!Number.isInteger(amount) || amount <= 0 || amount > pi.amountCapturable) {
        return [400, { error: { type: 'invalid_request_error', code: 'amount_too_large', param: 'amount_to_capture', message: `amount_to_capture must be a positive integer no greater than amount_capturable (${pi.amountCapturable}).` } }];
      }
      Object.assign(pi, { status: 'succeeded', amountReceived: amount, amountCapturable: 0 });
      return [200, intentJson(pi)];
    }
    if (pi.status !== 'requires_capture') return [400, unexpectedState(pi, 'canceled', 'requires_payment_method, requires_capture, requires_confirmation, requires_action, processing')];
    Object.assign(pi, { status: 'canceled', amountCapturable: 0 });
    return [200, intentJson(pi)];
  };
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
        const session = (known && stub.sessions.get(known)) || {
          id: rid('cs_test_'),
          status: 'open' as const,
          body,
          captureMethod: body['payment_intent_data[capture_method]'] === 'manual' ? ('manual' as const) : ('automatic' as const),
          amountTotal: amountOf(body),
          paymentIntent: null,
        };
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
      const onIntent = /^\/v1\/payment_intents\/([A-Za-z0-9_]+)\/(capture|cancel)$/.exec(path);
      if (req.method === 'POST' && onIntent) {
        const params = JSON.stringify(body);
        const earlier = idempotencyKey ? intentAnswers.get(idempotencyKey) : undefined;
        if (earlier) {
          if (earlier.path !== path || earlier.body !== params) {
            return send(400, { error: { type: 'idempotency_error', message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.` } });
          }
          return send(earlier.status, earlier.json);
        }
        const [status, json] = actOnIntent(onIntent[2] as 'capture' | 'cancel', onIntent[1]!, body);
        if (idempotencyKey) intentAnswers.set(idempotencyKey, { path, body: params, status, json });
        return send(status, json);
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

/** The form fields under `prefix[…]` of a recorded request, e.g. its metadata. */
function prefixed(body: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (k.startsWith(`${prefix}[`) && k.endsWith(']')) out[k.slice(prefix.length + 1, -1)] = v;
  return out;
}

/** What a recorded session request charges: its lines plus its (first) shipping option. */
export function amountOf(body: Record<string, string>): number {
  const shipping = Number(body['shipping_options[0][shipping_rate_data][fixed_amount][amount]'] ?? 0);
  return lineItemsOf(body).reduce((s, i) => s + i.unitAmount * i.quantity, 0) + shipping;
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
  /**
   * `checkout.session.completed` for a manual-capture session, as Stripe sends it once the card is
   * authorised: `payment_status: 'unpaid'` (nothing captured), the PaymentIntent set, and the
   * session's `capture: 'manual'` metadata.
   */
  manualSessionCompleted(o: { orderId: number; number: string; sessionId: string; paymentIntent: string }, { id = rid('evt_test') } = {}) {
    const event = stripeEvents.session('checkout.session.completed', o, { id, paymentStatus: 'unpaid' });
    return { ...event, data: { object: { ...event.data.object, metadata: { ...event.data.object.metadata, capture: 'manual' } } } };
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

/**
 * An event as a webhook delivery: the raw body and a `Stripe-Signature` header for it, made with
 * `stripe.webhooks.generateTestHeaderString` as Stripe would sign it.
 * @example const { payload, signature } = signStripeEvent(stripe, stripeEvents.manualSessionCompleted(o), SECRET);
 */
export function signStripeEvent(stripe: Pick<Stripe, 'webhooks'>, event: object, secret: string, { timestamp }: { timestamp?: number } = {}) {
  const payload = JSON.stringify(event);
  return { payload, signature: stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp ? { timestamp } : {}) }) };
}
