/** A renamed studio post's figures, recorded under each address it had, add up under its current one. */
import { describe, expect, it } from 'vitest';
import { mergeCardRows, mergePostRows } from '../../../src/server/commissions/index.ts';

const sales = (o: Partial<{ orders: number; units: number; salesCents: number; refundedCents: number; commissionCents: number }> = {}) => ({
  orders: 0,
  units: 0,
  salesCents: 0,
  refundedCents: 0,
  commissionCents: 0,
  ...o,
});
const ALIASES = new Map([['old-name', 'new-name']]);

describe('renamed posts on the dashboard', () => {
  it('mergePostRows adds the earlier address into the current one', () => {
    const rows = mergePostRows(
      [{ post: 'old-name', clicks: 4 }, { post: 'new-name', clicks: 1 }],
      [{ post: 'old-name', card: 0, views: 10, clicks: 3, adds: 1 } as never],
      [
        { source: 'post', post: 'old-name', ...sales({ orders: 1, units: 1, salesCents: 5000, commissionCents: 500 }) },
        { source: 'post', post: 'new-name', ...sales({ orders: 2, units: 3, salesCents: 9000, commissionCents: 900 }) },
      ],
      ALIASES,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ post: 'new-name', linkClicks: 5, cardViews: 10, cardClicks: 3, adds: 1, orders: 3, units: 4, salesCents: 14000, commissionCents: 1400 });
    // Without aliases the two addresses stay two rows.
    expect(mergePostRows([{ post: 'old-name', clicks: 4 }, { post: 'new-name', clicks: 1 }], [], [])).toHaveLength(2);
  });

  it('mergeCardRows adds a card up across addresses, products kept once', () => {
    const rows = mergeCardRows(
      [{ post: 'old-name', card: 2, views: 7, clicks: 2, adds: 1 } as never, { post: 'new-name', card: 2, views: 3, clicks: 1, adds: 1 } as never],
      [
        { post: 'old-name', card: 2, products: ['linen-shirt'], ...sales({ orders: 1, units: 1, salesCents: 6500 }) },
        { post: 'new-name', card: 2, products: ['linen-shirt'], ...sales({ orders: 1, units: 2, salesCents: 13000 }) },
      ],
      ALIASES,
    );
    expect(rows).toEqual([
      { post: 'new-name', card: 2, products: ['linen-shirt'], views: 10, clicks: 3, adds: 2, orders: 2, units: 3, salesCents: 19500, refundedCents: 0, commissionCents: 0 },
    ]);
  });
});
