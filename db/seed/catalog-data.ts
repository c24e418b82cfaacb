/**
 * The demo shop's catalog. Slugs are referenced from src/content/posts/*.mdx — keep them stable.
 * Deterministic: the same data on every seed.
 */
import type { BrandSeed, CategorySeed, CreatorSeed, ProductSeed } from './types.ts';

export const BRANDS: BrandSeed[] = [{ slug: 'atelier-nord', name: 'Atelier Nord' }];
export const CATEGORIES: CategorySeed[] = [{ slug: 'tops', name: 'Tops' }];
export const PRODUCTS: ProductSeed[] = [
  {
    slug: 'linen-camp-shirt',
    name: 'Linen Camp Shirt',
    brand: 'atelier-nord',
    category: 'tops',
    description: 'A boxy camp-collar shirt in washed European linen.',
    image: '/images/products/placeholder.svg',
    variants: [
      { sku: 'LCS-SAND-S', size: 'S', colour: 'Sand', colourHex: '#d8c3a5', priceCents: 8900, compareAtCents: 11900, stock: 12 },
      { sku: 'LCS-SAND-M', size: 'M', colour: 'Sand', colourHex: '#d8c3a5', priceCents: 8900, compareAtCents: 11900, stock: 2 },
      { sku: 'LCS-SAND-L', size: 'L', colour: 'Sand', colourHex: '#d8c3a5', priceCents: 8900, compareAtCents: 11900, stock: 0 },
    ],
  },
];
export const CREATORS: CreatorSeed[] = [];
