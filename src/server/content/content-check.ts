/**
 * `npm run content:check`: every card in every post must point at a product that exists and can be
 * bought. Pure: takes file texts and the catalog's products, returns the problems.
 */
import { extractProductRefs } from './product-refs.ts';

export interface ContentFile {
  path: string;
  text: string;
}

export interface CatalogEntry {
  slug: string;
  active: boolean;
  variants: number;
}

export interface RefProblem {
  path: string;
  line: number;
  product: string;
  problem: 'missing_attribute' | 'authored_card_id' | 'unknown_product' | 'inactive_product' | 'no_active_variants';
  message: string;
}

/** Splits YAML front matter off; returns the body and how many lines came before it. */
export function splitFrontMatter(text: string): { body: string; offset: number } {
  const m = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(text);
  if (!m) return { body: text, offset: 0 };
  return { body: text.slice(m[0].length), offset: m[0].split('\n').length - 1 };
}

export function checkContentRefs(files: readonly ContentFile[], catalog: readonly CatalogEntry[]): RefProblem[] {
  const bySlug = new Map(catalog.map((c) => [c.slug, c]));
  const problems: RefProblem[] = [];
  for (const file of files) {
    const { body, offset } = splitFrontMatter(file.text);
    for (const ref of extractProductRefs(body)) {
      const line = ref.line + offset;
      const at = { path: file.path, line, product: ref.slug };
      const entry = bySlug.get(ref.slug);
      if (ref.authoredCard) {
        // Card ids are assigned when the post is compiled (docs/decisions/0014-card-ids.md).
        problems.push({ ...at, problem: 'authored_card_id', message: `<${ref.component}> sets card= itself; remove it, card ids are assigned automatically` });
      } else if (!ref.slug) problems.push({ ...at, problem: 'missing_attribute', message: `<${ref.component}> has no product slug` });
      else if (!entry) problems.push({ ...at, problem: 'unknown_product', message: `no product "${ref.slug}" in the catalog` });
      else if (!entry.active) problems.push({ ...at, problem: 'inactive_product', message: `product "${ref.slug}" is inactive` });
      else if (entry.variants === 0) problems.push({ ...at, problem: 'no_active_variants', message: `product "${ref.slug}" has no active variants` });
    }
  }
  return problems;
}
