/**
 * Accessibility of the pages behind the shop window: bag, checkout, sign-in, the creator dashboard
 * and the admin — axe (WCAG 2 A/AA) finds no serious or critical problem. (Home, post and product
 * pages are checked in browse.spec.ts.)
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { login, newPage } from './helpers/browser.ts';
import { DEMO_CREATOR_PASSWORD } from '../../scripts/seed/fixtures.ts';

async function seriousProblems(page: Page, path: string): Promise<string[]> {
  const res = await page.goto(path);
  expect(res?.status(), `${path} status`).toBeLessThan(400);
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.nodes.length}): ${v.nodes[0]?.target.join(' ')} — ${v.help}`);
}

describe('accessibility beyond the storefront', () => {
  let reader: Page;
  let creator: Page;
  let admin: Page;
  beforeAll(async () => {
    reader = await newPage(); // axe runs in the page, so JavaScript stays on
    // something in the bag, so /bag and /checkout show their forms (LBT-BLK-L: no other spec buys it)
    await reader.goto('/products/leather-belt?colour=Black');
    await reader.locator('input[name="sku"][value="LBT-BLK-L"]').check({ force: true });
    await reader.getByRole('button', { name: 'Add to bag' }).first().click();
    await reader.locator('[data-bag-count]', { hasText: '1' }).first().waitFor();
    creator = await newPage();
    await login(creator, { email: 'jules-laurent@lookbook.test', password: DEMO_CREATOR_PASSWORD });
    admin = await newPage();
    await login(admin);
  });

  test.each(['/bag', '/checkout', '/login', '/posts'])('reader: %s', async (path) => {
    expect(await seriousProblems(['/login', '/posts'].includes(path) ? await newPage() : reader, path)).toEqual([]);
  });
  test.each(['/dashboard', '/dashboard/invites', '/studio', '/studio/profile'])('creator: %s', async (path) => {
    expect(await seriousProblems(creator, path)).toEqual([]);
  });
  test.each(['/admin', '/admin/orders', '/admin/products', '/admin/creators', '/admin/payouts', '/admin/coupons'])('admin: %s', async (path) => {
    expect(await seriousProblems(admin, path)).toEqual([]);
  });
});
