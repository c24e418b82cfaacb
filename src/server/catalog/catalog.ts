/**
 * Pure catalog logic: what a card or a product page shows, derived from variant rows.
 * No I/O here (unit-tested in tests/unit/catalog.test.ts); catalog-store.ts loads the rows.
 */
import type { PresaleView, SaleView } from '../sales/index.ts';

/** A variant as shown to a reader. `available` = on hand − live reservations (docs/architecture.md, rule 2). */
export interface VariantView {
  id: number;
  sku: string;
  size: string | null;
  colour: string | null;
  colourHex: string | null;
  imagePath: string | null;
  priceCents: number;
  compareAtCents: number | null;
  available: number;
}

export interface ProductView {
  id: number;
  slug: string;
  name: string;
  description: string;
  imagePath: string;
  active: boolean;
  brand: { slug: string; name: string };
  category: { slug: string; name: string };
  /** Active variants only, in display order. */
  variants: VariantView[];
  /** A group buy or help-cut the shop runs on it (src/server/social), shown on cards and the product page. */
  social?: ProductSocial;
  /**
   * Epoch ms of the next moment anything price- or sale-related shown for this product changes (a
   * flash sale or markdown starting or ending, a presale opening or closing); null if nothing is
   * scheduled. `variants[].priceCents` is the price at the moment it was read (src/server/sales).
   */
  priceValidUntil: number | null;
  /** The flash sale or markdown a card and the product page show (upcoming, live or its units gone). */
  sale: SaleView | null;
  /** Sold before it is in stock, shipping on a stated date. */
  presale: PresaleView | null;
}

export interface ProductSocial {
  /** Help-cut: start and lowest price, helps needed; `variantId` null = any size. */
  cut: { startPriceCents: number; floorPriceCents: number; helpsNeeded: number; variantId: number | null } | null;
  /** Group buy: seats and the price each member pays. */
  group: { priceCents: number; groupSize: number; variantId: number | null } | null;
}

export type StockState = { kind: 'in_stock' } | { kind: 'low'; left: number } | { kind: 'sold_out' };

/** Below or at this many units the reader sees "Only N left" (a badge only when it matters, so a reader is not nagged). */
export const LOW_STOCK_THRESHOLD = 3;

export function stockState(available: number): StockState {
  if (available <= 0) return { kind: 'sold_out' };
  if (available <= LOW_STOCK_THRESHOLD) return { kind: 'low', left: available };
  return { kind: 'in_stock' };
}

export interface PriceSummary {
  /** Lowest price among purchasable variants (or among all, when everything is sold out). */
  fromCents: number;
  /** True when variants differ in price ("from $x"). */
  varies: boolean;
  /** Compare-at of the cheapest variant, when it is a real discount. */
  compareAtCents: number | null;
  savingCents: number;
  savingPercent: number;
}

export function priceSummary(variants: readonly VariantView[]): PriceSummary | null {
  if (variants.length === 0) return null;
  const purchasable = variants.filter((v) => v.available > 0);
  const pool = purchasable.length > 0 ? purchasable : variants;
  let cheapest = pool[0]!;
  for (const v of pool) if (v.priceCents < cheapest.priceCents) cheapest = v;
  const varies = variants.some((v) => v.priceCents !== cheapest.priceCents);
  return { fromCents: cheapest.priceCents, varies, ...saving(cheapest.priceCents, cheapest.compareAtCents) };
}

/** A compare-at price counts only when it is above the price. Percent is rounded down (never overstated). */
export function saving(priceCents: number, compareAtCents: number | null) {
  if (compareAtCents === null || compareAtCents <= priceCents) {
    return { compareAtCents: null, savingCents: 0, savingPercent: 0 };
  }
  const savingCents = compareAtCents - priceCents;
  return { compareAtCents, savingCents, savingPercent: Math.floor((savingCents * 100) / compareAtCents) };
}

export function totalAvailable(variants: readonly VariantView[]): number {
  return variants.reduce((n, v) => n + Math.max(0, v.available), 0);
}

/**
 * The variant a card preselects: the requested SKU if it is purchasable, else the first purchasable
 * variant, else the first variant.
 */
export function defaultVariant(variants: readonly VariantView[], preferredSku?: string): VariantView | undefined {
  const preferred = preferredSku ? variants.find((v) => v.sku === preferredSku) : undefined;
  if (preferred && preferred.available > 0) return preferred;
  return variants.find((v) => v.available > 0) ?? preferred ?? variants[0];
}

export interface ColourOption {
  colour: string;
  colourHex: string | null;
  imagePath: string | null;
  available: number;
}

/** Distinct colours in display order, each with its total availability. */
export function colourOptions(variants: readonly VariantView[]): ColourOption[] {
  const byColour = new Map<string, ColourOption>();
  for (const v of variants) {
    if (!v.colour) continue;
    const c = byColour.get(v.colour) ?? { colour: v.colour, colourHex: v.colourHex, imagePath: v.imagePath, available: 0 };
    c.available += Math.max(0, v.available);
    byColour.set(v.colour, c);
  }
  return [...byColour.values()];
}

/** Distinct sizes in display order, with availability summed across colours (or within one colour). */
export function sizeOptions(variants: readonly VariantView[], colour?: string | null): { size: string; available: number }[] {
  const bySize = new Map<string, number>();
  for (const v of variants) {
    if (!v.size) continue;
    if (colour && v.colour !== colour) continue;
    bySize.set(v.size, (bySize.get(v.size) ?? 0) + Math.max(0, v.available));
  }
  return [...bySize].map(([size, available]) => ({ size, available }));
}

/** A human label for a variant: "Sand / M", "M", "Black" or "One size". */
export function variantLabel(v: Pick<VariantView, 'size' | 'colour'>): string {
  const parts = [v.colour, v.size].filter((p): p is string => Boolean(p));
  return parts.length ? parts.join(' / ') : 'One size';
}
