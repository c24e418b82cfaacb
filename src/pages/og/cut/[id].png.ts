/**
 * GET /og/cut/<id>.png — a help-cut's share card (1200×630 PNG; ADR 0054): the price reached,
 * helps left, and a QR code of the bargain's page. Read on every request (each help changes it);
 * the PNG is reused while it is the same. Unknown bargain: 404.
 */
import type { APIRoute } from 'astro';
import { getApp } from '../../../lib/app.ts';
import { creatorsByHandle } from '../../../lib/content.ts';
import { profileLookup, serveShareCard } from '../../../lib/share.ts';
import { cutShareCard } from '../../../server/flows/index.ts';

export const GET: APIRoute = (context) =>
  serveShareCard(context, async () => cutShareCard(await getApp(), context.params.id ?? '', profileLookup(await creatorsByHandle())), { versioned: false });
