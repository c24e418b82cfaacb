/**
 * A card's identity (docs/decisions/0014-card-ids.md). The shoppable blocks of a post, in document
 * order, numbered once by this scanner:
 *   <ProductCard product="slug" variant="SKU" />   → one ref
 *   <ShopTheLook products={["a", "b"]} />          → one ref per product
 * Used by the post page (to load every card's product in one query), by `npm run content:check`
 * (to list broken references with file and line) and by "featured in" on product pages.
 * Fenced code blocks are skipped, so a guide can show the syntax without creating a card.
 *
 * The same numbering is written into the post when it is compiled: `assignCardIds` adds
 * `card={N}` to each block (src/lib/card-ids-integration.mjs runs it on every post before MDX
 * compiles it), so the rendered card, the line it puts in the bag, the attribution decision and
 * the card metrics all carry the position this scanner gave — never one claimed at render time.
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
  /** Offset in the scanned text just after the tag name (where `card={N}` is written). */
  tagEnd: number;
  /** The author wrote a `card` attribute themselves (content:check refuses it: ids are assigned). */
  authoredCard?: boolean;
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
    const tagEnd = at + 1 + m[1]!.length;
    const authored = /\bcard\s*=/.test(attrs) ? { authoredCard: true } : {};
    if (m[1] === 'ProductCard') {
      const pm = ATTR('product').exec(attrs);
      const slug = pm?.[1] ?? pm?.[2] ?? pm?.[3];
      const vm = ATTR('variant').exec(attrs);
      const variant = vm?.[1] ?? vm?.[2] ?? vm?.[3];
      refs.push({ slug: slug ?? '', ...(variant ? { variant } : {}), component: 'ProductCard', line, position: refs.length, tagEnd, ...authored });
    } else {
      const list = PRODUCTS_ATTR.exec(attrs)?.[1] ?? '';
      for (const s of list.matchAll(STRING)) {
        refs.push({ slug: s[1]!, component: 'ShopTheLook', line, position: refs.length, tagEnd, ...authored });
      }
    }
  }
  return refs;
}

/**
 * The post's MDX with each block's id written in: `<ProductCard card={0} …/>`; a ShopTheLook gets
 * the position of its first product (its products follow in order). Front matter is left alone and
 * offsets stay those of the scan, so the result compiles exactly as the source did, plus the ids.
 * @example assignCardIds('<ProductCard product="tee" />') // '<ProductCard card={0} product="tee" />'
 */
export function assignCardIds(source: string): string {
  const fm = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(source);
  const start = fm ? fm[0].length : 0;
  const refs = extractProductRefs(source.slice(start));
  let out = '';
  let from = 0;
  const seen = new Set<number>();
  for (const r of refs) {
    if (seen.has(r.tagEnd) || r.authoredCard) continue; // one id per tag; an authored one is refused by content:check
    seen.add(r.tagEnd);
    const at = start + r.tagEnd;
    out += `${source.slice(from, at)} card={${r.position}}`;
    from = at;
  }
  return out + source.slice(from);
}

/** The unique product slugs of a post, in first-appearance order. */
export function productSlugs(refs: readonly ProductRef[]): string[] {
  return [...new Set(refs.map((r) => r.slug).filter(Boolean))];
}
