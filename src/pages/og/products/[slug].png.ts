/**
 * GET /og/products/<slug>.png[?via=<CODE>] — the product's share card (1200×630 PNG; ADR 0054):
 * name, brand, live price (a sale's price while it runs; the cache never outlives its end), and a
 * QR code of the product's address — or, with `via`, of that creator's referral link to it (the
 * card a signed-in creator shares). Unknown product or code: 404, nothing rendered.
 */
import type { APIRoute } from 'astro';
import { getApp } from '../../../lib/app.ts';
import { creatorsByHandle } from '../../../lib/content.ts';
import { profileLookup, serveShareCard } from '../../../lib/share.ts';
import { productShareCard } from '../../../server/flows/index.ts';

export const GET: APIRoute = (context) => {
  const params = context.url.searchParams;
  if ([...params.keys()].some((k) => k !== 'via')) return new Response('Not found\n', { status: 404, headers: { 'Cache-Control': 'no-store' } });
  return serveShareCard(
    context,
    async () => {
      const slug = context.params.slug ?? '';
      if (!params.has('via')) return productShareCard(await getApp(), slug);
      return productShareCard(await getApp(), slug, { via: { code: params.get('via'), profiles: profileLookup(await creatorsByHandle()) } });
    },
    { versioned: true },
  );
};
