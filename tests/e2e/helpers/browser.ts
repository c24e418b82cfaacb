/**
 * Real Chromium for e2e specs (Debian's /usr/bin/chromium through playwright-core).
 *
 * @example
 *   import { expect, test } from 'vitest';
 *   import { login, newPage } from './helpers/browser.ts';
 *
 *   test('admin sees the dashboard', async () => {
 *     const page = await newPage();            // fresh context (own cookies), baseURL = the e2e server
 *     await login(page);                       // DEMO_ADMIN by default
 *     await page.goto('/admin');
 *     expect(await page.title()).toContain('Admin');
 *   });
 *
 * One browser per spec file, launched lazily on the first newPage()/newContext(). Importing this module
 * registers an `afterAll` that closes every context and the browser, so specs need no cleanup code
 * (call `closeBrowser()` yourself only if you want to close earlier).
 *
 * A visitor without JavaScript: `newPage({ javaScriptEnabled: false })` (any Playwright context option
 * passes through). The dev mailbox (admins only; read by a signed-in admin page of the helpers' own):
 * `waitForEmail(page, { to, kind })` then `openEmail(page, id)`.
 * The server's database (for assertions and setup): `e2eDb()` (closed after the file).
 */
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, inject } from 'vitest';
import { DEMO_ADMIN } from '../../../scripts/seed/fixtures.ts';
import { openDb, type Db } from '../../../src/server/db.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/lib/serve-built.ts';

export { CHROMIUM_ARGS, CHROMIUM_PATH };

let browser: Promise<Browser> | undefined;
const contexts = new Set<BrowserContext>();

/** The spec file's Chromium (launched on first use). */
export function getBrowser(): Promise<Browser> {
  if (!browser) {
    // launch() gives Chromium a fresh temp --user-data-dir of its own (removed on close).
    browser = chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
    });
    browser.catch(() => (browser = undefined));
  }
  return browser;
}

/** The e2e server's address (provided by tests/e2e/global-setup.ts). */
export function baseURL(): string {
  return inject('baseURL');
}

export type ContextOptions = BrowserContextOptions;

/** A fresh, isolated browser context (own cookies and storage) whose relative URLs hit the e2e server. */
export async function newContext(options: ContextOptions = {}): Promise<BrowserContext> {
  const context = await (await getBrowser()).newContext({ baseURL: baseURL(), ...options });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  contexts.add(context);
  context.once('close', () => contexts.delete(context));
  return context;
}

/** A page in its own fresh context — two newPage() calls are two different visitors. */
export async function newPage(options: ContextOptions = {}): Promise<Page> {
  return (await newContext(options)).newPage();
}

export interface Credentials {
  email: string;
  password: string;
}

/**
 * Log in through the real `/login` form: fill the email and password fields, submit, and wait for the
 * redirect. Throws (with the page's error text) if the browser is still on the login page afterwards.
 * Returns the URL the login redirected to.
 */
export async function login(page: Page, credentials: Credentials = DEMO_ADMIN, options: { path?: string } = {}): Promise<URL> {
  const path = options.path ?? '/login';
  const res = await page.goto(path);
  if (!res || !res.ok()) throw new Error(`GET ${path} answered ${res?.status() ?? 'nothing'}`);
  const form = page.locator('form:has(input[type="password"])').first();
  await form.locator('input[type="email"], input[name="email"]').first().fill(credentials.email);
  await form.locator('input[type="password"]').first().fill(credentials.password);
  const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 15_000 });
  await form.locator('button[type="submit"], input[type="submit"], button:not([type])').first().click();
  await navigated;
  await page.waitForLoadState('load');
  const url = new URL(page.url());
  if (url.pathname.replace(/\/$/, '') === path.replace(/\/$/, '')) {
    const message = await page
      .locator('[role="alert"], .error, [aria-invalid="true"]')
      .allInnerTexts()
      .catch(() => []);
    throw new Error(`login as ${credentials.email} failed; still on ${url.pathname}${message.length ? `: ${message.join(' / ')}` : ''}`);
  }
  return url;
}

/** Console errors and uncaught page errors seen on `page` from now on (read the array at the end). */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

export interface OutboxRow {
  id: number;
  to: string;
  subject: string;
  kind: string;
  state: string;
}

/**
 * The dev mailbox is for signed-in admins only, so the helpers below never read it as the visitor
 * of the test: they use one page of their own per browser, in its own context, signed in as
 * DEMO_ADMIN (made on first use). `page` says which browser; it is not navigated.
 */
const mailboxPages = new WeakMap<Browser, Promise<Page>>();

async function mailboxPage(page: Page): Promise<Page> {
  const owner = page.context().browser() ?? (await getBrowser());
  let admin = mailboxPages.get(owner);
  if (!admin) {
    admin = (async () => {
      const context = await owner.newContext({ baseURL: baseURL() });
      context.setDefaultTimeout(15_000);
      context.setDefaultNavigationTimeout(30_000);
      contexts.add(context);
      context.once('close', () => {
        contexts.delete(context);
        mailboxPages.delete(owner);
      });
      const p = await context.newPage();
      await login(p, DEMO_ADMIN);
      return p;
    })();
    admin.catch(() => mailboxPages.delete(owner));
    mailboxPages.set(owner, admin);
  }
  return admin;
}

/** The dev mailbox's first page (`/dev/mail`, newest first) as rows, read as the admin. */
export async function readOutbox(page: Page): Promise<OutboxRow[]> {
  const admin = await mailboxPage(page);
  const res = await admin.goto('/dev/mail');
  if (!res || res.status() !== 200) throw new Error(`GET /dev/mail answered ${res?.status() ?? 'nothing'}`);
  return admin.locator('table tbody tr').evaluateAll((rows) =>
    rows.map((tr) => {
      const cells = [...tr.querySelectorAll('td')];
      const link = tr.querySelector<HTMLAnchorElement>('a[href^="/dev/mail/"]');
      return {
        id: Number(link?.getAttribute('href')?.split('/').pop()),
        to: cells[1]?.textContent?.trim() ?? '',
        subject: link?.textContent?.trim() ?? '',
        kind: cells[3]?.textContent?.trim() ?? '',
        state: cells[4]?.querySelector('.badge')?.textContent?.trim() ?? '',
      };
    }),
  );
}

/**
 * Polls the dev mailbox (as the admin) until an email to `to` (and of `kind`, if given) is listed,
 * and returns the newest such row. Throws after `timeoutMs` with what the mailbox did list.
 */
export async function waitForEmail(page: Page, match: { to: string; kind?: string }, timeoutMs = 10_000): Promise<OutboxRow> {
  const deadline = Date.now() + timeoutMs;
  let rows: OutboxRow[] = [];
  for (;;) {
    rows = await readOutbox(page);
    const hit = rows.find((r) => r.to.toLowerCase() === match.to.toLowerCase() && (!match.kind || r.kind === match.kind));
    if (hit) return hit;
    if (Date.now() > deadline) {
      throw new Error(`no ${match.kind ?? ''} email to ${match.to} in /dev/mail after ${timeoutMs} ms; listed: ${JSON.stringify(rows.slice(0, 5))}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface OpenedEmail {
  subject: string;
  /** The text version, as sent. */
  text: string;
  /** Every http(s) link in the text version, in order. */
  links: string[];
  /** The sandboxed HTML version (`srcdoc` of the iframe). */
  html: string;
}

/** Opens one email of the dev mailbox (`/dev/mail/<id>`), as the admin; follow its links with `page`. */
export async function openEmail(page: Page, id: number): Promise<OpenedEmail> {
  const admin = await mailboxPage(page);
  const res = await admin.goto(`/dev/mail/${id}`);
  if (!res || res.status() !== 200) throw new Error(`GET /dev/mail/${id} answered ${res?.status() ?? 'nothing'}`);
  const subject = (await admin.locator('h1').first().innerText()).trim();
  const text = await admin.locator('pre').first().innerText();
  const html = (await admin.locator('iframe[srcdoc]').first().getAttribute('srcdoc')) ?? '';
  const links = [...text.matchAll(/https?:\/\/[^\s<>"')]+/g)].map((m) => m[0]);
  return { subject, text, links, html };
}

let db: Promise<Db> | undefined;

/**
 * The e2e server's database (`inject('databaseUrl')`), opened once per spec file and closed after it.
 * Read freely; write only what you restore (other spec files share it).
 */
export function e2eDb(): Promise<Db> {
  db ??= openDb({ url: inject('databaseUrl') });
  return db;
}

afterAll(async () => {
  const current = db;
  db = undefined;
  if (current) (await current.catch(() => undefined))?.$client.close();
});

/** Close every context, then the browser. Safe to call more than once. */
export async function closeBrowser(): Promise<void> {
  const current = browser;
  browser = undefined;
  await Promise.allSettled([...contexts].map((c) => c.close()));
  contexts.clear();
  if (current) await current.then((b) => b.close()).catch(() => {});
}

afterAll(closeBrowser);
