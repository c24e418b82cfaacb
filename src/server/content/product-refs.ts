/**
 * Finds the shoppable blocks in a post's MDX source, in document order:
 *   <ProductCard product="slug" variant="SKU" />   → one ref
 *   <ShopTheLook products={["a", "b"]} />          → one ref per product
 * Used by the post page (to load every card's product in one query), by `npm run content:check`
 * (to list broken references with file and line) and by "featured in" on product pages.
 * Fenced code blocks are skipped, so a guide can show the syntax without creating a card.
 */
export interface ProductRef {
  slug: string;
  /** Preselected SKU, when the creator chose one. */
  variant?: string;
  component: 'ProductCard' | 'ShopTheLook';
  /** 1-based line in the MDX body. */
  line: number;
  /** 0-based position among all product refs in the post: the card's identity within the post. */
  position: number;
}

const TAG = /<(ProductCard|ShopTheLook)\b([^>]*?)\/?>/gs;
const ATTR = (name: string) => new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|\\{\\s*["']([^"']*)["']\\s*\\})`);
const PRODUCTS_ATTR = /\bproducts\s*=\s*\{\s*\[([^\]]*)\]\s*\}/s;
const STRING = /["']([^"']+)["']/g;

function fencedRanges(body: string): [number, number][] {
  const ranges: [number, number][] = [];
  const fence = /^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm;
  for (const m of body.matchAll(fence)) ranges.push([m.index, m.index + m[0].length]);
  return ranges;
}

export function extractProductRefs(body: string): ProductRef[] {
  const skip = fencedRanges(body);
  const refs: ProductRef[] = [];
  for (const m of body.matchAll(TAG)) {
    const at = m.index;
    if (skip.some(([a, b]) => at >= a && at < b)) continue;
    const line = body.slice(0, at).split('\n').length;
    const attrs = m[2] ?? '';
    if (m[1] === 'ProductCard') {
      const pm = ATTR('product').exec(attrs);
      const slug = pm?.[1] ?? pm?.[2] ?? pm?.[3];
      const vm = ATTR('variant').exec(attrs);
      const variant = vm?.[1] ?? vm?.[2] ?? vm?.[3];
      refs.push({ slug: slug ?? '', ...(variant ? { variant } : {}), component: 'ProductCard', line, position: refs.length });
    } else {
      const list = PRODUCTS_ATTR.exec(attrs)?.[1] ?? '';
      for (const s of list.matchAll(STRING)) {
        refs.push({ slug: s[1]!, component: 'ShopTheLook', line, position: refs.length });
      }
    }
  }
  return refs;
}

/** The unique product slugs of a post, in first-appearance order. */
export function productSlugs(refs: readonly ProductRef[]): string[] {
  return [...new Set(refs.map((r) => r.slug).filter(Boolean))];
}
