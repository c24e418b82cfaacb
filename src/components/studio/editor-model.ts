/**
 * Pure helpers of the studio editor island (PostEditor.tsx): the autosave request and how its
 * answers are read, the JSX props of the shop blocks, and the card ids the server writes into them.
 * No DOM, no React: unit-tested in tests/unit/studio/editor-model.test.ts.
 *
 * The blocks are MDX elements with literal props only (docs/decisions/0039-mdx-allow-list.md):
 *   <ProductCard product="slug" variant="SKU" card={3} />
 *   <ShopTheLook products={["a", "b"]} title="…" cards="4 5" />
 *   <Callout title="…" tone="tip">Markdown</Callout>
 * `card` / `cards` are written by the server when it saves (stable card ids); the editor keeps them
 * untouched through edits and moves, and drops them when the block's product changes (a new card).
 */
import type { MdxJsxAttribute, MdxJsxExpressionAttribute, MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx';

/** The form fields an autosave sends, read from the form by name. */
export const AUTOSAVE_FIELDS = ['title', 'slug', 'summary', 'kind', 'tags', 'heroMediaId', 'heroAlt', 'body'] as const;
export type AutosaveField = (typeof AUTOSAVE_FIELDS)[number];
export type AutosaveFields = Record<AutosaveField, string>;

export interface AutosavePayload {
  draftVersion: number;
  fields: AutosaveFields;
}

/**
 * The autosave request body from the form's current values (a FormData of the form).
 * @example autosavePayload(new FormData(form), 3) // { draftVersion: 3, fields: { title: '…', …, body: '…' } }
 */
export function autosavePayload(form: Pick<FormData, 'get'>, draftVersion: number): AutosavePayload {
  const fields = {} as AutosaveFields;
  for (const name of AUTOSAVE_FIELDS) {
    const v = form.get(name);
    fields[name] = typeof v === 'string' ? v : '';
  }
  return { draftVersion, fields };
}

export interface MdxProblem {
  line: number;
  column: number;
  message: string;
}

/** What an autosave answer means for the editor. */
export type SaveOutcome =
  | { kind: 'saved'; draftVersion: number; savedAt: Date; body: string | null }
  | { kind: 'conflict'; message: string }
  | { kind: 'invalid'; message: string; problems: MdxProblem[]; fieldErrors: Record<string, string> }
  /** Not saved for another reason (signed out, too long, the server failed); `retry`: worth trying again by itself. */
  | { kind: 'failed'; message: string; retry: boolean };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const text = (x: unknown): string | undefined => (typeof x === 'string' && x.trim() !== '' ? x : undefined);

/**
 * Reads an autosave answer (status and parsed JSON, or null when it was not JSON) without trusting
 * its shape: anything unexpected is a failure with a message for people.
 * @example readSaveResponse(409, { ok: false, reason: 'conflict', message: 'Saved in another tab.' }) // { kind: 'conflict', message: 'Saved in another tab.' }
 */
export function readSaveResponse(status: number, body: unknown): SaveOutcome {
  const b = isObject(body) ? body : {};
  const message = text(b.message);
  if (status === 200 && b.ok === true && typeof b.draftVersion === 'number' && Number.isSafeInteger(b.draftVersion)) {
    const at = typeof b.savedAt === 'string' ? new Date(b.savedAt) : new Date(Number.NaN);
    return { kind: 'saved', draftVersion: b.draftVersion, savedAt: Number.isNaN(at.getTime()) ? new Date() : at, body: typeof b.body === 'string' ? b.body : null };
  }
  if (status === 409 || b.reason === 'conflict') {
    return { kind: 'conflict', message: message ?? 'This draft was saved in another window. Copy your latest changes, then reload the page.' };
  }
  if (status === 400) {
    const problems = Array.isArray(b.problems)
      ? b.problems.filter(isObject).flatMap((p) => (typeof p.message === 'string' ? [{ line: Number(p.line) || 1, column: Number(p.column) || 1, message: p.message }] : []))
      : [];
    const fieldErrors: Record<string, string> = {};
    if (isObject(b.fieldErrors)) for (const [k, v] of Object.entries(b.fieldErrors)) if (typeof v === 'string') fieldErrors[k] = v;
    return { kind: 'invalid', message: message ?? 'Some of the post needs a change before it can be saved.', problems, fieldErrors };
  }
  if (status === 401 || status === 403) return { kind: 'failed', message: message ?? 'Your session has ended. Sign in again in another tab, then keep writing.', retry: false };
  if (status === 413) return { kind: 'failed', message: message ?? 'The post is too long to save.', retry: false };
  if (status === 0) return { kind: 'failed', message: 'No connection to the shop. Your changes are kept here and saved when the connection is back.', retry: true };
  return { kind: 'failed', message: message ?? 'The shop could not save just now. Your changes are kept here; it tries again shortly.', retry: status >= 500 || status === 429 };
}

/**
 * "Saved at 10:42" in the writer's own clock and language.
 * @example savedAtLabel(new Date('2026-12-02T10:42:00'), 'en-GB') // 'Saved at 10:42'
 */
export function savedAtLabel(at: Date, locale?: string): string {
  return `Saved at ${at.toLocaleTimeString(locale, { hour: 'numeric', minute: '2-digit' })}`;
}

// ─── Shop blocks: props ──────────────────────────────────────────────────────────────────────────

type Attrs = (MdxJsxAttribute | MdxJsxExpressionAttribute)[];
type JsxNode = Pick<MdxJsxFlowElement | MdxJsxTextElement, 'attributes'>;

/** An attribute's value as written: a quoted string, or the source of a `{…}` expression. */
function attr(node: JsxNode, name: string): { string?: string; expression?: string } | undefined {
  const a = node.attributes.find((x): x is MdxJsxAttribute => x.type === 'mdxJsxAttribute' && x.name === name);
  if (!a) return undefined;
  if (typeof a.value === 'string') return { string: a.value };
  if (a.value && typeof a.value === 'object') return { expression: a.value.value };
  return {};
}

/**
 * The slugs of a `products={["a", "b"]}` expression, or null when it is anything else.
 * @example parseSlugList('["linen-shirt", \'wool-coat\']') // ['linen-shirt', 'wool-coat']
 */
export function parseSlugList(expression: string): string[] | null {
  const m = /^\s*\[([\s\S]*)\]\s*$/.exec(expression);
  if (!m) return null;
  const inner = m[1]!.trim();
  if (inner === '') return [];
  const out: string[] = [];
  for (const part of inner.split(',')) {
    const s = /^\s*(["'])([^"'\\]*)\1\s*$/.exec(part);
    if (!s) return null;
    out.push(s[2]!);
  }
  return out;
}

/**
 * `["a", "b"]`: the expression a ShopTheLook's products are written as.
 * @example slugListExpression(['linen-shirt', 'wool-coat']) // '["linen-shirt", "wool-coat"]'
 */
export function slugListExpression(slugs: readonly string[]): string {
  return `[${slugs.map((s) => JSON.stringify(s)).join(', ')}]`;
}

export interface ProductCardProps {
  product: string;
  variant?: string;
  card?: number;
}

/** A ProductCard's props as written (an unreadable `card` is left out). */
export function readProductCard(node: JsxNode): ProductCardProps {
  const product = attr(node, 'product')?.string ?? '';
  const variant = attr(node, 'variant')?.string;
  const card = attr(node, 'card')?.expression;
  const n = card !== undefined && /^\s*\d{1,9}\s*$/.test(card) ? Number(card) : undefined;
  return { product, ...(variant ? { variant } : {}), ...(n !== undefined ? { card: n } : {}) };
}

export interface LookProps {
  products: string[];
  title?: string;
  cards?: string;
}

/** A ShopTheLook's props as written (products that cannot be read: an empty list). */
export function readLook(node: JsxNode): LookProps {
  const list = attr(node, 'products')?.expression;
  const title = attr(node, 'title')?.string;
  const cards = attr(node, 'cards')?.string;
  return { products: (list !== undefined ? parseSlugList(list) : null) ?? [], ...(title !== undefined ? { title } : {}), ...(cards !== undefined ? { cards } : {}) };
}

export const CALLOUT_TONES = ['note', 'tip', 'warning'] as const;
export type CalloutTone = (typeof CALLOUT_TONES)[number];

export function readCallout(node: JsxNode): { title?: string; tone: CalloutTone } {
  const title = attr(node, 'title')?.string;
  const tone = attr(node, 'tone')?.string;
  return { ...(title !== undefined ? { title } : {}), tone: (CALLOUT_TONES as readonly string[]).includes(tone ?? '') ? (tone as CalloutTone) : 'note' };
}

/** A prop change: a string (`name="…"`), an expression (`name={…}`), or null to remove it. */
export type AttrChange = string | { expression: string } | null;

/**
 * The attributes with `changes` applied: changed ones keep their place, new ones go last, every
 * other attribute (the server's `card` / `cards`) is kept as it was.
 * @example setAttrs(node.attributes, { product: 'wool-coat', variant: null, card: null })
 */
export function setAttrs(attributes: Attrs, changes: Record<string, AttrChange>): MdxJsxAttribute[] {
  const value = (c: string | { expression: string }): MdxJsxAttribute['value'] =>
    typeof c === 'string' ? c : { type: 'mdxJsxAttributeValueExpression', value: c.expression };
  const seen = new Set<string>();
  const out: MdxJsxAttribute[] = [];
  for (const a of attributes) {
    if (a.type !== 'mdxJsxAttribute') continue; // `{...spread}` is never allowed in a post
    if (!Object.hasOwn(changes, a.name)) {
      out.push(a);
      continue;
    }
    seen.add(a.name);
    const c = changes[a.name]!;
    if (c !== null) out.push({ type: 'mdxJsxAttribute', name: a.name, value: value(c) });
  }
  for (const [name, c] of Object.entries(changes)) {
    if (!seen.has(name) && c !== null) out.push({ type: 'mdxJsxAttribute', name, value: value(c) });
  }
  return out;
}

/** Props for MDXEditor's insertJsx$ (strings, or `{ type: 'expression', value }`). */
export type JsxProps = Record<string, string | { type: 'expression'; value: string }>;

/**
 * The props of a new ProductCard for a picked product and, optionally, a variant.
 * @example productCardJsx({ product: 'linen-shirt', variant: 'LIN-M' }) // { product: 'linen-shirt', variant: 'LIN-M' }
 */
export function productCardJsx(pick: { product: string; variant?: string | undefined }): JsxProps {
  return pick.variant ? { product: pick.product, variant: pick.variant } : { product: pick.product };
}

/** Most and fewest products in a look (the compiler refuses more than 8; one is a ProductCard). */
export const LOOK_MIN = 2;
export const LOOK_MAX = 8;

/**
 * The props of a new ShopTheLook (the title only when it is not the default one).
 * @example lookJsx({ products: ['a', 'b'], title: 'Weekend' }) // { products: { type: 'expression', value: '["a", "b"]' }, title: 'Weekend' }
 */
export function lookJsx(pick: { products: readonly string[]; title?: string | undefined }): JsxProps {
  const title = pick.title?.trim();
  return { products: { type: 'expression', value: slugListExpression(pick.products) }, ...(title ? { title } : {}) };
}

/**
 * The attribute changes when a picker changes a block: a new card (its id dropped, the server
 * gives it a fresh one); moves and prose edits never call this, so ids stay.
 */
export function productCardChanges(pick: { product: string; variant?: string | undefined }): Record<string, AttrChange> {
  return { product: pick.product, variant: pick.variant ?? null, card: null };
}
export function lookChanges(pick: { products: readonly string[]; title?: string | undefined }): Record<string, AttrChange> {
  const title = pick.title?.trim();
  return { products: { expression: slugListExpression(pick.products) }, title: title ? title : null, cards: null };
}

/**
 * The card preview's address for a product and optional variant.
 * @example cardPreviewHref('/studio/api/card-preview', 'linen-shirt', 'LIN-M') // '/studio/api/card-preview?product=linen-shirt&variant=LIN-M'
 */
export function cardPreviewHref(base: string, product: string, variant?: string): string {
  const qs = new URLSearchParams({ product });
  if (variant) qs.set('variant', variant);
  return `${base}${base.includes('?') ? '&' : '?'}${qs.toString()}`;
}

/**
 * "linen-shirt" → "Linen shirt": a readable stand-in until the product's real name is known.
 */
export function slugWords(slug: string): string {
  const s = slug.replace(/-+/g, ' ').trim();
  return s ? s.charAt(0).toUpperCase() + s.slice(1) : 'A product';
}

// ─── Card ids written by the server ──────────────────────────────────────────────────────────────

const SHOP_TAG = /<(ProductCard|ShopTheLook)\b((?:[^>"'{}]|"[^"]*"|'[^']*'|\{[^}]*\})*)\/?>/g;
const FENCE = /^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm;
const CARD_ATTR = /\s+card\s*=\s*\{\s*\d+\s*\}/g;
const CARDS_ATTR = /\s+cards\s*=\s*(?:"[^"]*"|'[^']*')/g;

export interface BlockIds {
  name: 'ProductCard' | 'ShopTheLook';
  /** `card={N}` of a ProductCard, `cards="…"` of a ShopTheLook, as written; null when absent. */
  ids: string | null;
}

function shopTags(source: string): { at: number; end: number; name: 'ProductCard' | 'ShopTheLook'; attrs: string }[] {
  const fences = [...source.matchAll(FENCE)].map((m) => [m.index, m.index + m[0].length] as const);
  const out: { at: number; end: number; name: 'ProductCard' | 'ShopTheLook'; attrs: string }[] = [];
  for (const m of source.matchAll(SHOP_TAG)) {
    if (fences.some(([a, b]) => m.index >= a && m.index < b)) continue;
    out.push({ at: m.index, end: m.index + m[0].length, name: m[1] as 'ProductCard' | 'ShopTheLook', attrs: m[2] ?? '' });
  }
  return out;
}

/**
 * The shop blocks of a body in document order, with the ids written in them (outside fenced code).
 * @example blockIds('<ProductCard card={3} product="tee" />') // [{ name: 'ProductCard', ids: '3' }]
 */
export function blockIds(source: string): BlockIds[] {
  return shopTags(source).map(({ name, attrs }) => {
    const m = name === 'ProductCard' ? /\bcard\s*=\s*\{\s*(\d+)\s*\}/.exec(attrs) : /\bcards\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(attrs);
    return { name, ids: m ? (m[1] ?? m[2] ?? '') : null };
  });
}

/** The body with every `card={N}` / `cards="…"` taken out of its shop blocks. */
export function withoutCardIds(source: string): string {
  let out = '';
  let from = 0;
  for (const t of shopTags(source)) {
    const tag = source.slice(t.at, t.end).replace(CARD_ATTR, '').replace(CARDS_ATTR, '');
    out += source.slice(from, t.at) + tag;
    from = t.end;
  }
  return out + source.slice(from);
}

/**
 * How to bring the editor to the body the server saved, given the body that was sent:
 * - `none`: nothing to do (the same text);
 * - `ids`: only card ids differ — write them into the blocks in place (the caret stays put);
 * - `replace`: the server changed more — load its body.
 * @example saveReconcile('<ProductCard product="a" />', '<ProductCard card={0} product="a" />') // { kind: 'ids', ids: [{ name: 'ProductCard', ids: '0' }] }
 */
export function saveReconcile(sent: string, saved: string): { kind: 'none' } | { kind: 'ids'; ids: BlockIds[] } | { kind: 'replace' } {
  if (sent === saved) return { kind: 'none' };
  if (withoutCardIds(sent) === withoutCardIds(saved)) {
    const ids = blockIds(saved);
    if (ids.length === blockIds(sent).length) return { kind: 'ids', ids };
  }
  return { kind: 'replace' };
}

/**
 * Images without a description (`![](…)`), outside fenced code: publishing needs one for each.
 * @example imagesWithoutAlt('![](/media/abc12345)\n\n![A linen shirt](/media/def67890)') // 1
 */
export function imagesWithoutAlt(source: string): number {
  const stripped = source.replace(FENCE, '');
  return [...stripped.matchAll(/!\[\s*\]\(/g)].length;
}

/**
 * Whether a link may be used in a post — the compiler's rule (ADR 0039): https:, http:, mailto:,
 * a path of this site (never `//`) or `#…`; checked with spaces removed as well.
 * @example linkAllowed('/shop') // true;  linkAllowed('javascript:alert(1)') // false
 */
export function linkAllowed(raw: string): boolean {
  // eslint-disable-next-line no-control-regex
  const url = raw.replace(/[\u0000-\u001F\u007F-\u009F]/g, '').trim();
  const ok = (u: string) => /^(https?|mailto):/i.test(u) || u.startsWith('#') || (u.startsWith('/') && !u.startsWith('//') && !u.startsWith('/\\'));
  return url !== '' && ok(url) && ok(url.replace(/\s+/g, ''));
}
