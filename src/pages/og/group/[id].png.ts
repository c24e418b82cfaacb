/**
 * GET /og/group/<id>.png — a group buy's share card (1200×630 PNG; ADR 0054): the group price,
 * seats left, and a QR code of the group's page. Read on every request (each join changes it);
 * the PNG is reused while it is the same. Unknown group: 404.
 */
import type { APIRoute } from 'astro';
import { getApp } from '../../../lib/app.ts';
import { creatorsByHandle } from '../../../lib/content.ts';
import { profileLookup, serveShareCard } from '../../../lib/share.ts';
import { groupShareCard } from '../../../server/flows/index.ts';

export const GET: APIRoute = (context) =>
  serveShareCard(context, async () => groupShareCard(await getApp(), context.params.id ?? '', profileLookup(await creatorsByHandle())), { versioned: false });
