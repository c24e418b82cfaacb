/**
 * Workflow for the creator's dashboard: group buys and help-cut bargains started from each of the
 * creator's posts, counted by how they ended — decided from the clock where read, like the pages.
 */
import { cutsByPost, groupsByPost, type LaunchPhase } from '../social/index.ts';
import type { App } from './app.ts';

export interface SocialPostCounts {
  groups: { open: number; filled: number; lapsed: number };
  cuts: Record<LaunchPhase, number>;
}

export async function socialByPost(app: App, creatorId: number, now = Date.now()): Promise<Map<string, SocialPostCounts>> {
  const out = new Map<string, SocialPostCounts>();
  const at = (post: string) => {
    let c = out.get(post);
    if (!c) {
      c = { groups: { open: 0, filled: 0, lapsed: 0 }, cuts: { open: 0, floor: 0, ended_buyable: 0, bought: 0, lapsed: 0 } };
      out.set(post, c);
    }
    return c;
  };
  for (const [post, counts] of await cutsByPost(app.db, creatorId, now)) at(post).cuts = counts;
  for (const [post, counts] of await groupsByPost(app.db, creatorId, now)) at(post).groups = counts;
  return out;
}
