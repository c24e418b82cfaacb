/**
 * The shop blocks of a saved studio draft, read from its source, and the one edit content health
 * makes to it: point a card at another product (docs/decisions/0042-content-health.md).
 *
 * A saved draft's source has every block's card id written in (`card={N}`, `cards="3 4"`, by
 * `compileStudioMdx`), so a card is found by its id, and a swap rewrites only the product (and the
 * variant) attribute of that block: the card id, the rest of the tag and the rest of the post are
 * left as they are, and the next save — which validates the whole post again — keeps the id.
 *
 * Pure: parsing only builds a tree (the same MDX syntax the compiler reads); nothing is evaluated.
 */
import type { MdxJsxAttribute, MdxJsxFlowElement } from 'mdast-util-mdx';
import { mdxFromMarkdown } from 'mdast-util-mdx';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { mdxjs } from 'micromark-extension-mdxjs';

/** One card of a draft: its id, its product, the block it is in. */
export interface DraftCard {
  card: number;
  slug: string;
  variant?: string;
  component: 'ProductCard' | 'ShopTheLook';
  /** 1-based line of the block's tag. */
  line: number;
}

interface Located extends DraftCard {
  el: MdxJsxFlowElement;
  /** For a ShopTheLook: the product's index in `products`. */
  index: number;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,80}$/;
const SKU = /^[A-Z0-9][A-Z0-9-]{0,40}$/i;

function attr(el: MdxJsxFlowElement, name: string): MdxJsxAttribute | undefined {
  return el.attributes.find((a): a is MdxJsxAttribute => a.type === 'mdxJsxAttribute' && a.name === name);
}

function numberAttr(a: MdxJsxAttribute | undefined): number | undefined {
  const v = a?.value;
  if (v === null || v === undefined || typeof v === 'string') return undefined;
  const s = v.data?.estree?.body[0];
  return s?.type === 'ExpressionStatement' && s.expression.type === 'Literal' && typeof s.expression.value === 'number' ? s.expression.value : undefined;
}

function stringsAttr(a: MdxJsxAttribute | undefined): string[] {
  const v = a?.value;
  if (v === null || v === undefined || typeof v === 'string') return [];
  const s = v.data?.estree?.body[0];
  if (s?.type !== 'ExpressionStatement' || s.expression.type !== 'ArrayExpression') return [];
  return s.expression.elements.map((e) => (e?.type === 'Literal' && typeof e.value === 'string' ? e.value : ''));
}

function locate(source: string): Located[] {
  let tree;
  try {
    tree = fromMarkdown(source, { extensions: [mdxjs()], mdastExtensions: [mdxFromMarkdown()] });
  } catch {
    return [];
  }
  const out: Located[] = [];
  // Shop blocks sit at the top level only (the compiler refuses them anywhere else).
  for (const node of tree.children) {
    if (node.type !== 'mdxJsxFlowElement') continue;
    const line = node.position?.start.line ?? 1;
    if (node.name === 'ProductCard') {
      const card = numberAttr(attr(node, 'card'));
      const product = attr(node, 'product')?.value;
      const variant = attr(node, 'variant')?.value;
      if (card === undefined || typeof product !== 'string') continue;
      out.push({ card, slug: product, ...(typeof variant === 'string' && variant ? { variant } : {}), component: 'ProductCard', line, el: node, index: 0 });
    } else if (node.name === 'ShopTheLook') {
      const ids = attr(node, 'cards')?.value;
      if (typeof ids !== 'string') continue;
      const cards = ids.trim().split(/\s+/).map(Number);
      stringsAttr(attr(node, 'products')).forEach((slug, index) => {
        const card = cards[index];
        if (card !== undefined && Number.isInteger(card) && slug) out.push({ card, slug, component: 'ShopTheLook', line, el: node, index });
      });
    }
  }
  return out;
}

/**
 * Every card of a saved draft with its id, in document order (an unreadable source has none: a
 * saved draft always compiled).
 * @example draftCards('<ProductCard card={2} product="tee" />') // [{ card: 2, slug: 'tee', component: 'ProductCard', line: 1 }]
 */
export function draftCards(source: string): DraftCard[] {
  return locate(source).map(({ el: _el, index: _index, ...card }) => card);
}

export type SwapSourceResult = { ok: true; source: string; previous: DraftCard } | { ok: false; reason: 'unknown_card' | 'invalid' };

/**
 * The source with card `cardId` pointing at `slug` (and `variant`, for a ProductCard; the old
 * variant is removed, it belonged to the old product). Only that block's product attribute (and
 * variant attribute) changes. A ShopTheLook's products list is written back in the compiler's
 * own literal form.
 * @example swapCardInSource('<ProductCard card={0} product="a" variant="A-M" />', 0, { slug: 'b' }) // source: '<ProductCard card={0} product="b" />'
 */
export function swapCardInSource(source: string, cardId: number, { slug, variant }: { slug: string; variant?: string | undefined }): SwapSourceResult {
  if (!SLUG.test(slug) || (variant !== undefined && !SKU.test(variant))) return { ok: false, reason: 'invalid' };
  const found = locate(source).find((c) => c.card === cardId);
  if (!found) return { ok: false, reason: 'unknown_card' };
  const edits: [number, number, string][] = [];
  const span = (a: MdxJsxAttribute): [number, number] | undefined => {
    const s = a.position?.start.offset;
    const e = a.position?.end.offset;
    return s === undefined || e === undefined ? undefined : [s, e];
  };
  if (found.component === 'ProductCard') {
    const product = span(attr(found.el, 'product')!);
    if (!product) return { ok: false, reason: 'invalid' };
    edits.push([product[0], product[1], `product="${slug}"${variant ? ` variant="${variant}"` : ''}`]);
    const old = attr(found.el, 'variant');
    const oldSpan = old ? span(old) : undefined;
    if (oldSpan) {
      // Remove the old variant with the space before it.
      let start = oldSpan[0];
      while (start > 0 && /[ \t]/.test(source[start - 1]!)) start--;
      edits.push([start, oldSpan[1], '']);
    }
  } else {
    const a = attr(found.el, 'products')!;
    const s = span(a);
    if (!s) return { ok: false, reason: 'invalid' };
    const list = stringsAttr(a);
    list[found.index] = slug;
    edits.push([s[0], s[1], `products={[${list.map((p) => JSON.stringify(p)).join(', ')}]}`]);
  }
  let out = source;
  for (const [start, end, text] of edits.sort((x, y) => y[0] - x[0])) out = out.slice(0, start) + text + out.slice(end);
  const { el: _el, index: _index, ...previous } = found;
  return { ok: true, source: out, previous };
}
