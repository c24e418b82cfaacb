/** Product JSON-LD availability (src/server/content/json-ld.ts): in stock, sold out, and on pre-order (ADR 0055). */
import { describe, expect, it } from 'vitest';
import { productJsonLd } from '../../../src/server/content/index.ts';
import type { ProductView } from '../../../src/server/catalog/index.ts';

const SITE = new URL('https://shop.example');
const SHOP = { name: 'Lookbook', currency: 'USD' };

function product(available: number, presale: ProductView['presale'] = null): ProductView {
  return {
    id: 1,
    slug: 'chore-jacket',
    name: 'Chore Jacket',
    description: 'Corduroy.',
    imagePath: '/images/products/chore.svg',
    active: true,
    brand: { slug: 'field', name: 'Field & Fold' },
    category: { slug: 'outerwear', name: 'Outerwear' },
    variants: [{ id: 1, sku: 'CCJ-M', size: 'M', colour: null, colourHex: null, imagePath: null, priceCents: 19900, compareAtCents: null, available }],
    priceValidUntil: null,
    sale: null,
    presale,
  };
}

const availability = (p: ProductView) => (productJsonLd(p, SITE, SHOP) as { offers: { availability: string } }).offers.availability;
const open = { presaleId: 1, shipsOn: '2027-01-12', state: 'open', capUnits: 40, unitsLeft: 12, opensAt: null, closesAt: null } as const;

describe('product JSON-LD availability', () => {
  it('is InStock with units, OutOfStock without', () => {
    expect(availability(product(3))).toBe('https://schema.org/InStock');
    expect(availability(product(0))).toBe('https://schema.org/OutOfStock');
  });
  it('is PreOrder while pre-orders are open with units left, OutOfStock once full', () => {
    expect(availability(product(12, open))).toBe('https://schema.org/PreOrder');
    expect(availability(product(0, { ...open, state: 'full', unitsLeft: 0 }))).toBe('https://schema.org/OutOfStock');
  });
});
