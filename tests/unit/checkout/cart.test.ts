import { describe, expect, it } from 'vitest';
import { bagSubtotal, lineWarning, mergeQty, parseAddToBag, parseUpdateLine } from '../../../src/server/cart/index.ts';

describe('add to bag input', () => {
  it('reads a card form with its post and position', () => {
    expect(parseAddToBag({ sku: 'LCS-SAND-M', qty: '2', post: 'autumn-capsule-wardrobe', card: '3' })).toEqual({
      ok: true,
      value: { sku: 'LCS-SAND-M', qty: 2, source: { kind: 'post', post: 'autumn-capsule-wardrobe', card: 3 } },
    });
    expect(parseAddToBag({ sku: 'X', from: 'product' })).toEqual({ ok: true, value: { sku: 'X', qty: 1, source: { kind: 'direct' } } });
  });
  it.each([
    [{ sku: 'X', qty: '0' }, 'Quantity must be at least 1.'],
    [{ sku: 'X', qty: '11' }, 'At most 10 of one item per order.'],
    [{ sku: 'X', qty: '-1' }, 'Quantity must be a whole number.'],
    [{ sku: 'X', qty: '1e9' }, 'Quantity must be a whole number.'],
    [{ sku: 'X', qty: '2.5' }, 'Quantity must be a whole number.'],
    [{ sku: 'X', qty: '99999999999' }, 'Quantity must be a whole number.'],
    [{ qty: '1' }, 'Choose a size or option.'],
    [{ sku: '<script>' }, 'Unknown product option.'],
    [{ sku: 'X', post: 'autumn' }, 'A card needs both its post and its position.'],
    [{ sku: 'X', post: 'autumn', card: 'first' }, 'Unknown card.'],
  ])('refuses %j', (fields, message) => {
    const r = parseAddToBag(fields as Record<string, string>);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.message)).toContain(message);
  });
});

describe('bag rules', () => {
  it('merges quantities up to 10 per line', () => {
    expect(mergeQty(4, 6)).toEqual({ ok: true, qty: 10 });
    expect(mergeQty(5, 6)).toEqual({ ok: false, reason: 'line_limit' });
  });
  it('parses quantity changes; 0 removes', () => {
    expect(parseUpdateLine({ line: '12', qty: '0' })).toEqual({ ok: true, value: { line: 12, qty: 0 } });
    expect(parseUpdateLine({ line: '12', qty: '11' }).ok).toBe(false);
    expect(parseUpdateLine({ line: 'x', qty: '1' }).ok).toBe(false);
  });
  it('warns when a line exceeds what is available', () => {
    expect(lineWarning({ qty: 2, available: 5, purchasable: true })).toBeNull();
    expect(lineWarning({ qty: 3, available: 2, purchasable: true })).toEqual({ kind: 'short', available: 2 });
    expect(lineWarning({ qty: 1, available: 0, purchasable: true })).toEqual({ kind: 'sold_out' });
    expect(lineWarning({ qty: 1, available: 5, purchasable: false })).toEqual({ kind: 'unavailable' });
  });
  it('adds up only purchasable lines', () => {
    expect(bagSubtotal([{ unitPriceCents: 1000, qty: 2, purchasable: true }, { unitPriceCents: 500, qty: 1, purchasable: false }])).toBe(2000);
  });
});
