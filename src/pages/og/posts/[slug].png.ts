/**
 * GET /og/posts/<slug>.png — the post's share card (1200×630 PNG; ADR 0054): title, creator,
 * the lowest live price of its pieces, and a QR code of the creator's referral link to it.
 * An unknown slug is a 404 with no render.
 */
import type { APIRoute } from 'astro';
import { getApp } from '../../../lib/app.ts';
import { creatorsByHandle, publishedPost } from '../../../lib/content.ts';
import { serveShareCard, sharePost } from '../../../lib/share.ts';
import { postShareCard } from '../../../server/flows/index.ts';

export const GET: APIRoute = (context) =>
  serveShareCard(
    context,
    async () => {
      const post = await publishedPost(context.params.slug ?? '');
      if (!post) return null;
      return postShareCard(await getApp(), sharePost(post, await creatorsByHandle()));
    },
    { versioned: true },
  );
