/**
 * Shared steps of the social e2e specs: a published studio post with one card (made through the
 * studio's workflows, as the studio would), and a reader signing in by the one-time email link —
 * typed into /sign-in, read from the outbox, opened and confirmed in the browser.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { and, desc, eq } from 'drizzle-orm';
import sharp from 'sharp';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { outboxEmails, posts, users } from '../../../db/schema/index.ts';
import { loadScriptEnv } from '../../../scripts/env.ts';
import { scriptApp } from '../../../scripts/lib/app.ts';
import { ROOT } from '../../../scripts/lib/serve-built.ts';
import { createStudioPost, publishStudioPost, saveStudioDraft, uploadStudioImage, type App } from '../../../src/server/flows/index.ts';
import { e2eDb } from './browser.ts';
import { uniqueTag, type E2eCreator } from './fixtures.ts';

export const READER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const FILE_SLUGS = new Set(readdirSync(join(ROOT, 'src/content/posts')).filter((f) => f.endsWith('.mdx')).map((f) => f.slice(0, -4)));

export async function e2eApp(): Promise<App> {
  return scriptApp(await e2eDb(), loadScriptEnv());
}

/** A published studio post by `creator` whose only card is `productSlug`; returns its address. */
export async function e2ePostWithCard(creator: E2eCreator, productSlug: string): Promise<{ slug: string; title: string }> {
  const app = await e2eApp();
  const row = await app.db.select().from(users).where(eq(users.email, creator.email)).get();
  const user = { id: row!.id, email: row!.email, role: row!.role, creatorId: row!.creatorId };
  const created = await createStudioPost(app, user);
  if (!created.ok) throw new Error(created.message);
  const png = await sharp({ create: { width: 1200, height: 1500, channels: 3, background: '#b8a58a' } }).png().toBuffer();
  const cover = await uploadStudioImage(app, user, created.id, new Uint8Array(png));
  if (!cover.ok) throw new Error(cover.message);
  const tag = uniqueTag();
  const slug = `social-${tag}`;
  const title = `Wear it together ${tag}`;
  const post = await app.db.select({ draftVersion: posts.draftVersion }).from(posts).where(eq(posts.id, created.id)).get();
  const fields = { title, slug, summary: 'A look to share with friends.', kind: 'look', tags: 'social', heroMediaId: cover.media.id, heroAlt: 'A warm beige backdrop', body: `One piece, better with friends.\n\n<ProductCard product="${productSlug}" />\n` };
  const saved = await saveStudioDraft(app, user, created.id, { fields, draftVersion: post!.draftVersion, fileSlugs: FILE_SLUGS });
  if (!saved.ok) throw new Error(`draft: ${saved.message}`);
  const published = await publishStudioPost(app, user, created.id, { fileSlugs: FILE_SLUGS });
  if (!published.ok) throw new Error(`publish: ${published.message} ${JSON.stringify('problems' in published ? published.problems : '')}`);
  return { slug, title };
}

/** Signs `page` in as `email` with a one-time link, as a reader does; ends on the link's target. */
export async function signInByEmail(page: Page, email: string, next?: string): Promise<void> {
  await page.goto(next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in');
  await page.getByLabel('Email').fill(email);
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Email me a sign-in link' }).click()]);
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  const db = await e2eDb();
  let link: string | undefined;
  for (let i = 0; i < 50 && !link; i++) {
    const mail = await db.select().from(outboxEmails).where(and(eq(outboxEmails.toAddress, email), eq(outboxEmails.kind, 'sign_in_link'))).orderBy(desc(outboxEmails.id)).get();
    link = mail ? /Sign in: (\S+)/.exec(mail.textBody)?.[1] : undefined;
    if (!link) await new Promise((r) => setTimeout(r, 100));
  }
  if (!link) throw new Error(`no sign-in link mailed to ${email}`);
  await page.goto(new URL(link).pathname);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/sign-in/')), page.getByRole('button', { name: 'Sign in' }).click()]);
}

/**
 * Checks out the bag as a guest with a US address and pays on the test payment page, as a reader
 * does; returns once the order page says it is paid.
 */
export async function checkoutAndPayAsGuest(page: Page, { email, name, line1 }: { email: string; name: string; line1: string }): Promise<void> {
  await page.goto('/checkout');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Street address').fill(line1);
  await page.getByLabel('City').fill('Portland');
  await page.getByLabel('State').fill('OR');
  await page.getByLabel('Postcode').fill('97201');
  await page.getByLabel('Country').selectOption('US');
  await Promise.all([page.waitForURL(/\/pay\/test\//), page.getByRole('button', { name: /Continue to/ }).click()]);
  await Promise.all([page.waitForURL(/\/orders\//), page.getByRole('button', { name: /^Pay \$/ }).click()]);
  await expect.poll(() => page.locator('main').innerText()).toMatch(/Paid/);
}
