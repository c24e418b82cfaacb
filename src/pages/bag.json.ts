/** GET /bag.json — the bag for the drawer island: lines, subtotal and count (server prices). */
import type { APIRoute } from 'astro';
import { getDb, money } from '../lib/runtime.ts';
import { bagId } from '../lib/bag.ts';
import { loadBag } from '../server/cart/index.ts';
import { bagCount, bagSubtotal, lineWarning, lineWarningText } from '../server/cart/index.ts';
import { paths } from '../server/shared/index.ts';

export const GET: APIRoute = async ({ cookies }) => {
  const lines = await loadBag(await getDb(), bagId(cookies));
  const body = {
    count: bagCount(lines),
    subtotal: money(bagSubtotal(lines)),
    blocked: lines.some((l) => lineWarning(l) !== null),
    lines: lines.map((l) => ({
      id: l.id,
      title: l.title,
      brand: l.brand,
      variant: l.variantLabel,
      qty: l.qty,
      price: money(l.unitPriceCents * l.qty),
      image: l.imagePath,
      href: paths.product(l.productSlug),
      warning: ((w) => (w ? lineWarningText(w) : null))(lineWarning(l)),
    })),
  };
  return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json', 'cache-control': 'private, no-store' } });
};
