/**
 * GET /og/creators/<handle>.png — a creator's share card (1200×630 PNG; ADR 0054): name, picture,
 * their latest post's cover, and a QR code of their referral link. Unknown handle: 404.
 */
import type { APIRoute } from 'astro';
import { getApp } from '../../../lib/app.ts';
import { creatorsByHandle } from '../../../lib/content.ts';
import { creatorPosts } from '../../../lib/creator-posts.ts';
import { serveShareCard, shareProfile } from '../../../lib/share.ts';
import { getDb } from '../../../lib/runtime.ts';
import { publicCreatorByHandle } from '../../../server/commissions/index.ts';
import { creatorShareCard } from '../../../server/flows/index.ts';

export const GET: APIRoute = (context) =>
  serveShareCard(
    context,
    async () => {
      const handle = context.params.handle ?? '';
      const profile = (await creatorsByHandle()).get(handle);
      const row = profile ? null : await publicCreatorByHandle(await getDb(), handle);
      if (!profile && !row) return null;
      const face = profile ? shareProfile(profile) : { handle, name: row!.displayName, avatar: null };
      const posts = await creatorPosts(handle);
      return creatorShareCard(await getApp(), face, posts.length, posts[0]?.hero.src ?? null);
    },
    { versioned: true },
  );
