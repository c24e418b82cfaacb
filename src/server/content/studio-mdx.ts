/**
 * The compiler of posts written in the studio (docs/decisions/0039-mdx-allow-list.md).
 *
 * A creator's post body is MDX source, and MDX is JavaScript: compiled, an `export` or a `{…}`
 * would run on our server and in readers' pages. So this text is never compiled or evaluated. It
 * is parsed (micromark's MDX syntax, which only builds a tree), every node is checked against an
 * allow-list — plain Markdown, and three components with literal props — and the tree becomes a
 * `StudioDoc` of plain data (`studio-doc.ts`): prose as HTML built by our own code and sanitised,
 * shop blocks as props for the same components file posts use.
 *
 * Card ids (what a bag line, the attribution decision and the dashboard record) are stable through
 * edits and reorders: a block keeps the id written in it when the post has handed that id out and
 * no earlier block in the document claimed it; otherwise it gets the post's next unused id. The
 * ids are written back into the returned source, so the next save keeps them.
 *
 * Pure: no db, no I/O. Expected problems are values (`{ ok: false, problems }`), never throws on
 * any input; only a caller's bug (a negative `nextCard`) throws.
 */
import type { Element, ElementContent, Properties, Root as HastRoot } from 'hast';
import { sanitize, defaultSchema, type Schema } from 'hast-util-sanitize';
import { toHtml } from 'hast-util-to-html';
import type { Definition, Image, Link, LinkReference, Nodes, Paragraph, PhrasingContent, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { mdxFromMarkdown, type MdxJsxAttribute, type MdxJsxFlowElement, type MdxJsxTextElement } from 'mdast-util-mdx';
import { defaultHandlers, toHast, type Handlers, type State } from 'mdast-util-to-hast';
import { mdxjs } from 'micromark-extension-mdxjs';
import { paths } from '../shared/index.ts';
import type { ProductRef } from './product-refs.ts';
import type { CalloutTone, MdxProblem, MediaInfo, StudioBlock, StudioDoc } from './studio-doc.ts';

export interface CompileOptions {
  /** Next unused card id for this post (ids are never reused). */
  nextCard: number;
  /**
   * Card ids this post has already handed out (so an existing block keeps its id). Absent: none
   * yet (a first save), so every block gets a fresh id.
   */
  knownCards?: ReadonlySet<number>;
  /** Looks up an uploaded image the author may use (null/undefined: not theirs or not found). */
  media: (id: string) => MediaInfo | null | undefined;
  /** On publish: every image needs alt text. */
  requireAlt?: boolean;
}

export type CompileResult =
  | {
      ok: true;
      /** The input with each shop block's `card={N}` / `cards="…"` written in; nothing else changed. */
      source: string;
      /** The post's next unused card id after this compile (store it). */
      nextCard: number;
      doc: StudioDoc;
      /** Every product in document order; `position` is its card id, `tagEnd` an offset in `source`. */
      refs: ProductRef[];
      /** Uploaded images the post uses, in first-appearance order. */
      mediaIds: string[];
    }
  | { ok: false; problems: MdxProblem[] };

/** The limits a studio post is held to (the ADR lists them). */
export const STUDIO_MDX_LIMITS = {
  maxChars: 100_000,
  maxShopBlocks: 60,
  maxLookProducts: 8,
  maxTitle: 80,
  maxProblems: 50,
  /** Lists in quotes in lists…: deeper than this is refused before anything recurses over it. */
  maxDepth: 32,
} as const;

const SLUG = /^[a-z0-9][a-z0-9-]{0,80}$/;
const SKU = /^[A-Z0-9][A-Z0-9-]{0,40}$/i;
const MEDIA_SRC = /^\/media\/([A-Za-z0-9_-]{8,40})$/;
const SITE_IMAGE = /^\/images\/[A-Za-z0-9/_.-]+$/;
const TONES: readonly CalloutTone[] = ['note', 'tip', 'warning'];
const BLOCKS_HINT = 'posts can use only the shop blocks from the toolbar (ProductCard, ShopTheLook and Callout).';
const IMAGE_SIZES = '(min-width: 760px) 680px, 100vw';

/** @example compileStudioMdx('## Hi\n\n<ProductCard product="tee" />', { nextCard: 0, media: () => undefined }) */
export function compileStudioMdx(source: string, opts: CompileOptions): CompileResult {
  if (!Number.isInteger(opts.nextCard) || opts.nextCard < 0) throw new TypeError(`nextCard must be a non-negative integer, got ${opts.nextCard}`);
  if (source.length > STUDIO_MDX_LIMITS.maxChars) {
    return {
      ok: false,
      problems: [{ line: 1, column: 1, message: `Line 1: this post is too long — ${source.length.toLocaleString('en')} characters, and a post can have at most ${STUDIO_MDX_LIMITS.maxChars.toLocaleString('en')}. Split it into two posts.` }],
    };
  }
  let tree;
  try {
    tree = fromMarkdown(source, { extensions: [mdxjs()], mdastExtensions: [mdxFromMarkdown()] });
  } catch (error) {
    return { ok: false, problems: [parseProblem(error)] };
  }

  const checker = new Checker(opts);
  const plan = checker.blocks(tree.children, 'root', 0);
  if (checker.problems.length > 0) {
    const problems = checker.problems
      .sort((a, b) => a.line - b.line || a.column - b.column)
      .slice(0, STUDIO_MDX_LIMITS.maxProblems);
    return { ok: false, problems };
  }

  const ids = assignCardIds(source, plan, opts);
  const render = new Renderer(checker.definitions, checker.mediaInfo);
  return {
    ok: true,
    source: ids.source,
    nextCard: ids.nextCard,
    doc: { blocks: render.blocks(plan, ids.cards) },
    refs: ids.refs,
    mediaIds: [...checker.mediaInfo.keys()],
  };
}

// ─── Checking: the allow-list ────────────────────────────────────────────────────────────────────

type Planned =
  | { kind: 'markdown'; nodes: RootContent[] }
  | { kind: 'card'; el: MdxJsxFlowElement; product: string; variant?: string; card: Attr<number | string> | undefined }
  | { kind: 'look'; el: MdxJsxFlowElement; products: string[]; title?: string; cards: Attr<number | string> | undefined }
  | { kind: 'callout'; title?: string; tone?: CalloutTone; children: Planned[] };

interface Attr<T> {
  value: T;
  attr: MdxJsxAttribute;
}

type PropKind = 'string' | 'number' | 'strings';
const PROPS = {
  ProductCard: { product: 'string', variant: 'string', card: 'number' },
  ShopTheLook: { products: 'strings', title: 'string', cards: 'string' },
  Callout: { title: 'string', tone: 'string' },
} as const satisfies Record<string, Record<string, PropKind>>;
type ComponentName = keyof typeof PROPS;
const isComponent = (name: string | null): name is ComponentName => name !== null && Object.hasOwn(PROPS, name);

/** Where a run of blocks sits: the post's top level, or inside a Callout (Markdown only). */
type Context = 'root' | 'callout';

interface Place {
  line: number;
  column: number;
}
const placeOf = (node: { position?: { start: { line: number; column: number } } | undefined } | undefined): Place => ({
  line: node?.position?.start.line ?? 1,
  column: node?.position?.start.column ?? 1,
});

class Checker {
  readonly problems: MdxProblem[] = [];
  readonly definitions: Definition[] = [];
  readonly mediaInfo = new Map<string, MediaInfo>();
  private shopBlocks = 0;
  private tooDeep = false;

  constructor(private readonly opts: CompileOptions) {}

  private refuse(at: Place, message: string): void {
    // Checking goes on after the cap so the ones kept are the first 50 by place, once sorted.
    this.problems.push({ line: at.line, column: at.column, message: `Line ${at.line}: ${message}` });
  }

  /** A run of block-level nodes: shop blocks and callouts at the top level, Markdown everywhere. */
  blocks(nodes: readonly RootContent[], context: Context, depth: number): Planned[] {
    const plan: Planned[] = [];
    const markdown = (node: RootContent) => {
      const last = plan.at(-1);
      if (last?.kind === 'markdown') last.nodes.push(node);
      else plan.push({ kind: 'markdown', nodes: [node] });
    };
    for (const node of nodes) {
      if (context === 'root' && node.type === 'mdxJsxFlowElement' && isComponent(node.name)) {
        const block = this.component(node, depth);
        if (block) plan.push(block);
        continue;
      }
      const solo = context === 'root' ? soloCallout(node) : undefined;
      if (solo) {
        // `<Callout>One line of text</Callout>` parses as a paragraph holding the element; it is a
        // block all the same (nothing else shares its paragraph).
        const block = this.component(solo, depth);
        if (block) plan.push(block);
        continue;
      }
      this.markdown(node, context, depth + 1);
      markdown(node);
    }
    return plan;
  }

  /** One Markdown node and everything in it; refuses what is not on the allow-list. */
  private markdown(node: Nodes, context: Context, depth: number): void {
    if (depth > STUDIO_MDX_LIMITS.maxDepth) {
      if (!this.tooDeep) this.refuse(placeOf(node), 'this is nested too deeply (lists or quotes inside each other) — flatten it.');
      this.tooDeep = true;
      return;
    }
    const at = placeOf(node);
    switch (node.type) {
      case 'heading':
        if (node.depth === 1) this.refuse(at, "the title is the post's only top-level heading — use a smaller heading (## or ###).");
        else if (node.depth > 4) this.refuse(at, 'headings go down to #### — use ## to #### for a heading.');
        break;
      case 'link':
        this.link(node, at);
        break;
      case 'definition':
        this.link(node, at);
        this.definitions.push(node);
        return;
      case 'image':
        this.image(node, at);
        return;
      case 'imageReference':
        this.refuse(at, 'write an image as ![description](/media/…) — the image button does it for you.');
        return;
      case 'mdxjsEsm': {
        const word = /^\s*export\b/.test(node.value) ? 'export' : 'import';
        this.refuse(at, `\`${word}\` is not allowed in a post — ${BLOCKS_HINT}`);
        return;
      }
      case 'mdxFlowExpression':
      case 'mdxTextExpression':
        this.refuse(at, '`{…}` expressions are not allowed in a post; to show a curly brace write \\{ (and \\}).');
        return;
      case 'mdxJsxTextElement':
      case 'mdxJsxFlowElement':
        this.misplacedJsx(node, context, at);
        return;
      case 'html':
        this.refuse(at, `raw HTML is not allowed in a post; use Markdown for text — ${BLOCKS_HINT}`);
        return;
      case 'paragraph':
      case 'emphasis':
      case 'strong':
      case 'blockquote':
      case 'list':
      case 'listItem':
      case 'linkReference':
        break;
      case 'code':
        // A fence's language only names a highlighter class; anything but a plain word is dropped
        // so that no markup-like text reaches an attribute.
        if (node.lang && !/^[A-Za-z0-9][A-Za-z0-9_+.#-]{0,31}$/.test(node.lang)) node.lang = null;
        node.meta = null;
        return;
      case 'text':
      case 'inlineCode':
      case 'break':
      case 'thematicBreak':
        return;
      default:
        this.refuse(at, `this kind of content (${node.type}) is not allowed in a post.`);
        return;
    }
    if ('children' in node) for (const child of node.children) this.markdown(child as Nodes, context, depth + 1);
  }

  private misplacedJsx(node: MdxJsxFlowElement | MdxJsxTextElement, context: Context, at: Place): void {
    const name = node.name;
    if (name === null) this.refuse(at, `\`<>…</>\` is not allowed in a post — ${BLOCKS_HINT}`);
    else if (!/^[A-Z]/.test(name)) this.refuse(at, `raw HTML like <${shorten(name)}> is not allowed in a post; use Markdown for text — ${BLOCKS_HINT}`);
    else if (!isComponent(name)) this.refuse(at, `<${shorten(name)}> is not a block posts can use — ${BLOCKS_HINT}`);
    else if (context === 'callout') this.refuse(at, `a Callout holds text only — move <${name}> out of it, before or after.`);
    else if (node.type === 'mdxJsxTextElement') this.refuse(at, `put <${name}> on a line of its own, with an empty line before and after — blocks cannot sit inside a paragraph.`);
    else this.refuse(at, `put <${name}> at the top level of the post, not inside a list or quote.`);
  }

  private link(node: Link | Definition, at: Place): void {
    const url = cleanUrl(node.url);
    if (!linkAllowed(url)) {
      this.refuse(at, `this link (“${shorten(url)}”) is not allowed — links must start with https://, http://, mailto:, / (a page of this shop) or # (a place in this post).`);
      return;
    }
    node.url = url; // what was checked is what is rendered
  }

  private image(node: Image, at: Place): void {
    const url = cleanUrl(node.url);
    const media = MEDIA_SRC.exec(url);
    if (media) {
      const id = media[1]!;
      const info = this.opts.media(id);
      if (!info) {
        this.refuse(at, 'this image is not one of your uploads — upload it with the image button.');
        return;
      }
      if (info.widths.length === 0) {
        this.refuse(at, 'this image is still being prepared — try again in a moment.');
        return;
      }
      this.mediaInfo.set(id, info);
    } else if (!(SITE_IMAGE.test(url) && !url.includes('..') && !url.includes('//'))) {
      this.refuse(at, 'this image is not one of your uploads — upload it with the image button.');
      return;
    }
    node.url = url;
    if (this.opts.requireAlt && !(node.alt ?? '').trim()) {
      this.refuse(at, 'describe this image for people who cannot see it (alt text) before publishing.');
    }
  }

  /** A ProductCard, ShopTheLook or Callout at the top level. */
  private component(el: MdxJsxFlowElement, depth: number): Planned | undefined {
    const name = el.name as ComponentName;
    const at = placeOf(el);
    const { props, refused } = this.props(el, name);
    // A prop already refused (or hidden in a spread) is not also reported missing.
    const missing = (prop: string) => props[prop] === undefined && !refused.has(prop) && !refused.has('...');
    if (name === 'Callout') {
      const title = this.title(props.title, name);
      const tone = props.tone?.value;
      if (tone !== undefined && !(TONES as readonly unknown[]).includes(tone)) {
        this.refuse(placeOf(props.tone!.attr), 'a Callout\'s tone is "note", "tip" or "warning".');
      }
      const children = this.blocks(el.children as RootContent[], 'callout', depth + 1);
      return { kind: 'callout', ...(title !== undefined ? { title } : {}), ...(TONES.includes(tone as CalloutTone) ? { tone: tone as CalloutTone } : {}), children };
    }

    this.shopBlocks += 1;
    if (this.shopBlocks === STUDIO_MDX_LIMITS.maxShopBlocks + 1) {
      this.refuse(at, `a post can have at most ${STUDIO_MDX_LIMITS.maxShopBlocks} shop blocks — this is one more.`);
    }
    if (el.children.length > 0) this.refuse(placeOf(el.children[0]), `<${name}> takes no content between its tags — write it as <${name} … />.`);

    if (name === 'ProductCard') {
      const product = props.product?.value;
      if (product === undefined) {
        if (missing('product')) this.refuse(at, 'this ProductCard has no product — choose one with the product button.');
      } else if (typeof product !== 'string' || !SLUG.test(product)) this.refuse(placeOf(props.product!.attr), `“${shorten(String(product))}” is not a product name (lowercase letters, digits and dashes) — choose one with the product button.`);
      const variant = props.variant?.value;
      if (variant !== undefined && (typeof variant !== 'string' || !SKU.test(variant))) {
        this.refuse(placeOf(props.variant!.attr), `“${shorten(String(variant))}” is not a variant code (letters, digits and dashes).`);
      }
      return {
        kind: 'card',
        el,
        product: String(product ?? ''),
        ...(typeof variant === 'string' ? { variant } : {}),
        card: props.card as Attr<number | string> | undefined,
      };
    }

    const list = props.products?.value;
    let products: string[] = [];
    if (list === undefined) {
      if (missing('products')) this.refuse(at, 'this ShopTheLook has no products — choose them with the look button.');
    } else if (Array.isArray(list)) {
      products = list;
      const where = placeOf(props.products!.attr);
      if (list.length === 0) this.refuse(where, 'this ShopTheLook has no products — choose them with the look button.');
      if (list.length > STUDIO_MDX_LIMITS.maxLookProducts) this.refuse(where, `a ShopTheLook shows at most ${STUDIO_MDX_LIMITS.maxLookProducts} products — this one has ${list.length}.`);
      const bad = list.find((s) => !SLUG.test(s));
      if (bad !== undefined) this.refuse(where, `“${shorten(bad)}” is not a product name (lowercase letters, digits and dashes).`);
    }
    const title = this.title(props.title, name);
    return { kind: 'look', el, products, ...(title !== undefined ? { title } : {}), cards: props.cards as Attr<number | string> | undefined };
  }

  private title(prop: Attr<unknown> | undefined, name: ComponentName): string | undefined {
    if (prop === undefined || typeof prop.value !== 'string') return undefined;
    if (prop.value.length > STUDIO_MDX_LIMITS.maxTitle) {
      this.refuse(placeOf(prop.attr), `a ${name} title can be at most ${STUDIO_MDX_LIMITS.maxTitle} characters — this one has ${prop.value.length}.`);
    }
    return prop.value;
  }

  /**
   * The element's props, each a literal: a quoted string, or `{3}` for `card`, or `{["a", "b"]}`
   * for `products`. Anything else — spreads, names, calls, templates, objects, handlers, unknown
   * props — is refused: an expression would be code.
   */
  private props(el: MdxJsxFlowElement, name: ComponentName): { props: Partial<Record<string, Attr<string | number | string[]>>>; refused: Set<string> } {
    const spec: Record<string, PropKind> = PROPS[name];
    const out: Partial<Record<string, Attr<string | number | string[]>>> = {};
    const refused = new Set<string>();
    for (const attr of el.attributes) {
      if (attr.type === 'mdxJsxExpressionAttribute') {
        this.refuse(placeOf(attr.position ? attr : el), `\`{…}\` props like {...props} are not allowed — write each prop as name="value".`);
        refused.add('...');
        continue;
      }
      const at = placeOf(attr.position ? attr : el);
      const prop = attr.name;
      if (/^on/i.test(prop)) {
        this.refuse(at, `event handlers are not allowed in a post (${shorten(prop)} on <${name}>).`);
        continue;
      }
      const kind = Object.hasOwn(spec, prop) ? spec[prop] : undefined;
      if (kind === undefined) {
        this.refuse(at, `<${name}> has no prop “${shorten(prop)}” — it takes ${Object.keys(spec).filter((p) => p !== 'card' && p !== 'cards').join(', ')}.`);
        continue;
      }
      if (out[prop]) {
        this.refuse(at, `“${prop}” is written twice on this <${name}>.`);
        continue;
      }
      const value = literalValue(attr, kind);
      if (value === undefined) {
        refused.add(prop);
        this.refuse(at, kind === 'strings' ? `write the products as ${prop}={["first-product", "second-product"]} — names in quotes, nothing else.` : kind === 'number' ? `“${prop}” is set by the studio — remove it and it is written for you.` : `write ${prop} in quotes: ${prop}="…" (no {…}).`);
        continue;
      }
      out[prop] = { value, attr };
    }
    return { props: out, refused };
  }
}

/** A quoted string, `{3}` (card) or `{["a", "b"]}` (products), checked on the parsed estree; else undefined. */
function literalValue(attr: MdxJsxAttribute, kind: PropKind): string | number | string[] | undefined {
  const v = attr.value;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return kind === 'strings' ? undefined : v;
  if (kind === 'string') return undefined;
  const program = v.data?.estree;
  const statement = program?.body.length === 1 ? program.body[0] : undefined;
  if (statement?.type !== 'ExpressionStatement') return undefined;
  const expr = statement.expression;
  if (kind === 'number') return expr.type === 'Literal' && typeof expr.value === 'number' ? expr.value : undefined;
  if (expr.type !== 'ArrayExpression') return undefined;
  const out: string[] = [];
  for (const item of expr.elements) {
    if (item?.type !== 'Literal' || typeof item.value !== 'string') return undefined;
    out.push(item.value);
  }
  return out;
}

/** A paragraph that is only `<Callout …>…</Callout>` (and spaces): that Callout as a block. */
function soloCallout(node: RootContent): MdxJsxFlowElement | undefined {
  if (node.type !== 'paragraph') return undefined;
  const kids = node.children.filter((c) => !(c.type === 'text' && !c.value.trim()));
  const only = kids.length === 1 ? kids[0] : undefined;
  if (only?.type !== 'mdxJsxTextElement' || only.name !== 'Callout') return undefined;
  const inner = only.children as PhrasingContent[];
  const children: Paragraph[] = inner.length > 0 ? [{ type: 'paragraph', children: inner, ...(only.position ? { position: only.position } : {}) }] : [];
  return { type: 'mdxJsxFlowElement', name: only.name, attributes: only.attributes, children, ...(only.position ? { position: only.position } : {}) };
}

const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;
/** As a browser reads an href: control characters (tabs, newlines) dropped, ends trimmed. */
const cleanUrl = (url: string) => url.replace(CONTROL, '').trim();

/**
 * https:, http:, mailto:, a path on this site (`/…`, never `//` or `/\`, which browsers read as
 * another host) or `#…`. Checked also with every space removed, so `java script:` cannot pass.
 * @example linkAllowed('/shop') // true;  linkAllowed('JaVaScRiPt:alert(1)') // false
 */
function linkAllowed(url: string): boolean {
  const ok = (u: string) => {
    if (/^(https?|mailto):/i.test(u) || u.startsWith('#')) return true;
    if (!u.startsWith('/') || u.startsWith('//') || u.startsWith('/\\')) return false;
    try {
      return new URL(u, 'https://shop.invalid').origin === 'https://shop.invalid';
    } catch {
      return false;
    }
  };
  return ok(url) && ok(url.replace(/\s+/g, ''));
}

const shorten = (s: string) => (s.length > 40 ? `${s.slice(0, 39)}…` : s);

/** A parser error as one problem in plain words, with the parser's own reason after it. */
function parseProblem(error: unknown): MdxProblem {
  const e = (error ?? {}) as { line?: unknown; column?: unknown; place?: unknown; message?: unknown; reason?: unknown; source?: unknown; ruleId?: unknown };
  const reason = String(e.reason ?? e.message ?? error);
  let line = typeof e.line === 'number' ? e.line : undefined;
  let column = typeof e.column === 'number' ? e.column : undefined;
  if (line === undefined) {
    const start = (e.place as { start?: { line?: number; column?: number } } | undefined)?.start;
    const fromReason = /\((\d+):(\d+)/.exec(reason);
    line = start?.line ?? (fromReason ? Number(fromReason[1]) : 1);
    column = start?.column ?? (fromReason ? Number(fromReason[2]) : 1);
  }
  column ??= 1;
  const source = String(e.source ?? '');
  const rule = String(e.ruleId ?? '');
  let words: string;
  if (source.includes('mdx-jsx')) {
    if (rule === 'unexpected-eof') words = 'this looks like an unfinished tag — end it with /> (or its closing tag), or write \\< to show a “<” sign.';
    else if (rule === 'unexpected-character') words = 'a “<” here starts a tag that cannot be read — to show a “<” sign write \\<.';
    else words = 'a tag here is not closed, or is closed by a different tag — check that every <Callout> has its </Callout>.';
  } else if (source.includes('mdx-expression')) {
    words = 'a “{” here starts an expression, and expressions are not allowed in a post — to show a curly brace write \\{.';
  } else if (source.includes('mdxjs-esm')) {
    words = `\`import\`/\`export\` is not allowed in a post — ${BLOCKS_HINT}`;
  } else {
    words = 'this part of the post cannot be read.';
  }
  return { line, column, message: `Line ${line}, column ${column}: ${words} (The parser says: ${reason})` };
}

// ─── Card ids ────────────────────────────────────────────────────────────────────────────────────

interface AssignedIds {
  source: string;
  nextCard: number;
  refs: ProductRef[];
  /** Each shop block's ids, by its element. */
  cards: Map<MdxJsxFlowElement, number[]>;
}

/**
 * Keep a written id when the post handed it out (known, below `nextCard`) and no earlier block
 * took it; else a fresh one. So a reorder keeps ids, a copy-pasted block gets its own, and a
 * hand-typed id cannot borrow another card's sales. Written back as `card={N}` / `cards="…"`,
 * replacing the old attribute or right after the tag name; the rest of the text is untouched.
 */
function assignCardIds(source: string, plan: readonly Planned[], opts: CompileOptions): AssignedIds {
  const known = opts.knownCards ?? new Set<number>();
  const used = new Set<number>();
  let next = opts.nextCard;
  const claim = (n: number | undefined): number => {
    const id = n !== undefined && Number.isInteger(n) && n >= 0 && n < opts.nextCard && known.has(n) && !used.has(n) ? n : next++;
    used.add(id);
    return id;
  };

  const cards = new Map<MdxJsxFlowElement, number[]>();
  const pending: { el: MdxJsxFlowElement; tagEnd: number; edit: [number, number, string]; refs: Omit<ProductRef, 'line' | 'tagEnd'>[] }[] = [];
  for (const block of plan) {
    if (block.kind !== 'card' && block.kind !== 'look') continue;
    const start = block.el.position?.start.offset ?? 0;
    const lead = /^<\s*/.exec(source.slice(start, start + 64))?.[0].length ?? 1;
    const name = block.el.name ?? '';
    const tagEnd = source.startsWith(name, start + lead) ? start + lead + name.length : source.indexOf(name, start) + name.length;
    const attr = block.kind === 'card' ? block.card : block.cards;
    const range: [number, number] = attr?.attr.position?.start.offset !== undefined && attr.attr.position.end.offset !== undefined
      ? [attr.attr.position.start.offset, attr.attr.position.end.offset]
      : [tagEnd, tagEnd];
    const insert = range[0] === range[1];
    if (block.kind === 'card') {
      const written = typeof block.card?.value === 'number' ? block.card.value : undefined;
      const id = claim(written);
      cards.set(block.el, [id]);
      const text = `card={${id}}`;
      pending.push({ el: block.el, tagEnd, edit: [range[0], range[1], insert ? ` ${text}` : text], refs: [{ slug: block.product, ...(block.variant ? { variant: block.variant } : {}), component: 'ProductCard', position: id }] });
    } else {
      const written = typeof block.cards?.value === 'string' ? block.cards.value.trim().split(/\s+/) : [];
      const ids = block.products.map((_, i) => {
        const token = written[i];
        return claim(token !== undefined && /^\d{1,9}$/.test(token) ? Number(token) : undefined);
      });
      cards.set(block.el, ids);
      const text = `cards="${ids.join(' ')}"`;
      pending.push({ el: block.el, tagEnd, edit: [range[0], range[1], insert ? ` ${text}` : text], refs: block.products.map((slug, i) => ({ slug, component: 'ShopTheLook' as const, position: ids[i]! })) });
    }
  }

  let out = '';
  let from = 0;
  const refs: ProductRef[] = [];
  let line = 1;
  let counted = 0;
  const lineAt = (offset: number) => {
    for (; counted < offset; counted++) if (out.charCodeAt(counted) === 10) line++;
    return line;
  };
  for (const p of pending) {
    // Edits are in document order and each lies inside its own tag, after the tag name.
    out += source.slice(from, p.tagEnd);
    const newTagEnd = out.length;
    const tagLine = lineAt(newTagEnd);
    out += source.slice(p.tagEnd, p.edit[0]) + p.edit[2];
    from = p.edit[1];
    for (const r of p.refs) refs.push({ ...r, line: tagLine, tagEnd: newTagEnd });
  }
  out += source.slice(from);
  return { source: out, nextCard: next, refs, cards };
}

// ─── Rendering: plain data and sanitised HTML ────────────────────────────────────────────────────

/**
 * Defence in depth: nothing raw reaches here (the allow-list refuses it), but the HTML is still
 * sanitised with GitHub's rules, widened only for our picture markup and the rel of links.
 */
const SCHEMA: Schema = {
  ...defaultSchema,
  attributes: {
    ...defaultSchema.attributes,
    a: [...(defaultSchema.attributes?.a ?? []), 'rel'],
    img: [...(defaultSchema.attributes?.img ?? []), 'width', 'height', 'loading', 'decoding', 'srcSet', 'sizes'],
    source: ['srcSet', 'sizes', 'type'],
  },
};

class Renderer {
  private readonly handlers: Handlers;

  constructor(
    private readonly definitions: readonly Definition[],
    private readonly mediaInfo: ReadonlyMap<string, MediaInfo>,
  ) {
    const external = (el: ElementContent | ElementContent[] | undefined, url: string | undefined) => {
      if (el && !Array.isArray(el) && el.type === 'element' && url && /^https?:/i.test(url)) el.properties.rel = ['nofollow', 'ugc', 'noopener'];
      return el;
    };
    this.handlers = {
      image: (state: State, node: Image) => this.image(state, node),
      link: (state: State, node: Link) => external(defaultHandlers.link(state, node), node.url),
      linkReference: (state: State, node: LinkReference) => external(defaultHandlers.linkReference(state, node), state.definitionById.get(node.identifier.toUpperCase())?.url),
    };
  }

  blocks(plan: readonly Planned[], cards: ReadonlyMap<MdxJsxFlowElement, number[]>): StudioBlock[] {
    const out: StudioBlock[] = [];
    for (const block of plan) {
      if (block.kind === 'markdown') {
        const html = this.html(block.nodes);
        if (html) out.push({ type: 'html', html });
      } else if (block.kind === 'card') {
        out.push({ type: 'card', product: block.product, ...(block.variant ? { variant: block.variant } : {}), card: cards.get(block.el)![0]! });
      } else if (block.kind === 'look') {
        out.push({ type: 'look', products: block.products, ...(block.title !== undefined ? { title: block.title } : {}), cards: cards.get(block.el)! });
      } else {
        out.push({ type: 'callout', ...(block.title !== undefined ? { title: block.title } : {}), ...(block.tone ? { tone: block.tone } : {}), children: this.blocks(block.children, cards) });
      }
    }
    return out;
  }

  /** Consecutive Markdown blocks as one sanitised HTML string (every definition in reach of every reference). */
  private html(nodes: readonly RootContent[]): string {
    const hast = toHast({ type: 'root', children: [...nodes, ...this.definitions] }, { handlers: this.handlers });
    const clean = sanitize(hast as HastRoot, SCHEMA);
    return toHtml(clean).trim();
  }

  /** An upload as a responsive picture (AVIF, then WebP); a site image as a plain lazy img. */
  private image(state: State, node: Image): Element {
    const alt = node.alt ?? '';
    const title = node.title ? { title: node.title } : {};
    const media = MEDIA_SRC.exec(node.url);
    const info = media ? this.mediaInfo.get(media[1]!) : undefined;
    let result: Element;
    if (!info) {
      result = { type: 'element', tagName: 'img', properties: { src: node.url, alt, loading: 'lazy', decoding: 'async', ...title }, children: [] };
    } else {
      const srcSet = (fmt: 'avif' | 'webp') => info.widths.map((w) => `${paths.media(info.id, w, fmt)} ${w}w`).join(', ');
      const middle = info.widths[Math.floor(info.widths.length / 2)]!;
      const source = (fmt: 'avif' | 'webp'): Element => ({ type: 'element', tagName: 'source', properties: { type: `image/${fmt}`, srcSet: srcSet(fmt), sizes: IMAGE_SIZES }, children: [] });
      const img: Element = {
        type: 'element',
        tagName: 'img',
        properties: { src: paths.media(info.id, middle, 'webp'), width: info.width, height: info.height, alt, loading: 'lazy', decoding: 'async', ...title } satisfies Properties,
        children: [],
      };
      result = { type: 'element', tagName: 'picture', properties: {}, children: [source('avif'), source('webp'), img] };
    }
    state.patch(node, result);
    return state.applyData(node, result);
  }
}
