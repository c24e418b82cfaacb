/**
 * GET /studio/api/products?q=…&category=… — the studio editor's product picker
 * (src/components/studio/ProductPicker.tsx): active products matching the search, with live
 * availability and prices in the shop's format. /studio is for creators and admins (the auth
 * middleware; its responses are private, no-store); a request without a user is answered 401.
 */
import type { APIRoute } from 'astro';
import { getDb, money } from '../../../lib/runtime.ts';
import { parsePickerQuery, pickerJson, searchPickerProducts } from '../../../server/catalog/index.ts';
import { httpStatus } from '../../../server/shared/index.ts';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'private, no-store' } });

export const GET: APIRoute = async ({ locals, url }) => {
  if (!locals.user) return json({ ok: false, message: 'Sign in again to search the shop.' }, 401);
  const parsed = parsePickerQuery(url.searchParams);
  if (!parsed.ok) return json({ ok: false, message: parsed.message, fieldErrors: parsed.fieldErrors }, httpStatus(parsed));
  const result = await searchPickerProducts(await getDb(), { ...parsed.query, now: Date.now() });
  return json(pickerJson(result, money));
};
