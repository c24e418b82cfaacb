/** Shapes of the demo catalog data (scripts/seed/catalog-data.ts), shared by the seed and the tests. */
export interface BrandSeed {
  slug: string;
  name: string;
}
export interface CategorySeed {
  slug: string;
  name: string;
}
export interface VariantSeed {
  sku: string;
  size?: string;
  colour?: string;
  colourHex?: string;
  /** Site-relative image path for this colour, e.g. /images/products/linen-shirt-sand.svg */
  image?: string;
  priceCents: number;
  compareAtCents?: number;
  stock: number;
  active?: boolean;
}
export interface ProductSeed {
  slug: string;
  name: string;
  brand: string;
  category: string;
  description: string;
  image: string;
  active?: boolean;
  variants: VariantSeed[];
}
export interface CreatorSeed {
  handle: string;
  displayName: string;
  /** Demo login for the creator's dashboard (dev only, documented in the README). */
  email: string;
}
