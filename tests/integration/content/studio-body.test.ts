/**
 * A studio post's body rendered through Astro's Container API from what the compiler made of its
 * MDX (docs/decisions/0039-mdx-allow-list.md): prose as its sanitised HTML, shop blocks as the same
 * card components file posts use, each selling with its own stable card id.
 */
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { beforeAll, describe, expect, it } from 'vitest';
import StudioBody from '../../../src/components/post/StudioBody.astro';
import ShopTheLook from '../../../src/components/mdx/ShopTheLook.astro';
import type { CardContext } from '../../../src/lib/cards.ts';
import type { ProductView, VariantView } from '../../../src/server/catalog/index.ts';
import { compileStudioMdx, type MediaInfo, type ProductRef, type StudioBlock } from '../../../src/server/content/index.ts';

let container: AstroContainer;
beforeAll(async () => {
  container = await AstroContainer.create();
});

let vid = 0;
const variant = (o: Partial<VariantView>): VariantView => ({
  id: ++vid,
  sku: `SKU-${vid}`,
  size: 'M',
  colour: null,
  colourHex: null,
  imagePath: null,
  priceCents: 5000,
  compareAtCents: null,
  available: 10,
  ...o,
});
const product = (slug: string, priceCents = 5000): ProductView => ({
  id: ++vid,
  slug,
  name: `Name of ${slug}`,
  description: 'A description.',
  imagePath: `/images/products/${slug}.svg`,
  active: true,
  brand: { slug: 'atelier-nord', name: 'Atelier Nord' },
  category: { slug: 'tops', name: 'Tops' },
  variants: [variant({ sku: `${slug.toUpperCase()}-M`, priceCents })],
  priceValidUntil: null,
  sale: null,
  presale: null,
});
const PRODUCTS = new Map(['tee', 'coat', 'scarf', 'boots'].map((s) => [s, product(s)]));
const UPLOAD: MediaInfo = { id: 'coat0001ab', width: 1200, height: 1500, widths: [480, 960] };

const cards = (refs: ProductRef[]): CardContext => ({ postSlug: 'winter-edit', refs, products: PRODUCTS });
const render = (blocks: StudioBlock[], refs: ProductRef[]) =>
  container.renderToString(StudioBody, { props: { blocks }, locals: { user: null, session: null, cards: cards(refs) } });

function compile(source: string, nextCard = 0, known: number[] = []) {
  const r = compileStudioMdx(source, { nextCard, knownCards: new Set(known), media: (id) => (id === UPLOAD.id ? UPLOAD : undefined) });
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join(' | '));
  return r;
}
/** The card ids the page's forms will put in the bag, in page order. */
// The card's "Add to bag" form only (each card also has a "Save" form carrying the same card id).
const formCards = (html: string) =>
  html
    .split('<form')
    .filter((f) => f.includes('action="/bag/add"'))
    .flatMap((f) => [...f.split('</form>')[0]!.matchAll(/name="card" value="(\d+)"/g)].map((m) => Number(m[1])));

describe('<StudioBody>', () => {
  it('renders prose as HTML, blocks as live cards, callouts with their own prose', async () => {
    const r = compile(
      [
        '## The winter edit',
        '',
        'Layer *up*. See [the maker](https://maker.example).',
        '',
        '![A coat on a hook](/media/coat0001ab)',
        '',
        '<ProductCard product="tee" />',
        '',
        '<Callout title="Fit note" tone="warning">',
        '  Runs **small**: size up.',
        '</Callout>',
        '',
        '<ShopTheLook title="The whole look" products={["coat", "scarf"]} />',
      ].join('\n'),
    );
    const html = await render(r.doc.blocks, r.refs);
    // The HTML is the compiler's, set as markup (not escaped into text).
    expect(html).toContain('<h2>The winter edit</h2>');
    expect(html).toContain('<em>up</em>');
    expect(html).toContain('<a href="https://maker.example" rel="nofollow ugc noopener">the maker</a>');
    expect(html).toContain('<source type="image/avif" srcset="/media/coat0001ab/480.avif 480w, /media/coat0001ab/960.avif 960w"');
    expect(html).toContain('<img src="/media/coat0001ab/960.webp" width="1200" height="1500" alt="A coat on a hook" loading="lazy" decoding="async">');
    // The callout wraps its own rendered prose.
    expect(html).toMatch(/<aside class="callout callout--warning[^"]*"[^>]*>\s*<p class="callout__title"[^>]*>Fit note<\/p>\s*<div class="callout__body"[^>]*><p>Runs <strong>small<\/strong>: size up\.<\/p><\/div>/);
    expect(html).toContain('aria-label="The whole look"');
    // Every card sells for this post with its own id, in page order.
    expect(html).toMatch(/name="post" value="winter-edit"/);
    expect(formCards(html)).toEqual([0, 1, 2]);
    expect(html.indexOf('Name of tee')).toBeLessThan(html.indexOf('Fit note'));
    expect(html.indexOf('Fit note')).toBeLessThan(html.indexOf('Name of coat'));
  });

  it('after a reorder each card still sells under the id it had', async () => {
    const first = compile('<ProductCard product="tee" />\n\n<ShopTheLook products={["coat", "scarf"]} />');
    const [card, look] = first.source.split('\n\n');
    const edited = compile(`${look}\n\n${card}\n\n<ShopTheLook products={["boots"]} />`, first.nextCard, [0, 1, 2]);
    const html = await render(edited.doc.blocks, edited.refs);
    expect(formCards(html)).toEqual([1, 2, 0, 3]);
    expect(html.indexOf('Name of coat')).toBeLessThan(html.indexOf('Name of tee'));
  });

  it('a product that is gone renders as unavailable, the others still sell', async () => {
    const r = compile('<ProductCard product="vanished" />\n\n<ProductCard product="tee" />');
    const html = await render(r.doc.blocks, r.refs);
    expect(html).toContain('data-unavailable="vanished"');
    expect(formCards(html)).toEqual([1]);
  });
});

describe('<ShopTheLook cards={…}>', () => {
  it('uses one id per product when given, instead of counting up from the first', async () => {
    const refs: ProductRef[] = [
      { slug: 'coat', component: 'ShopTheLook', line: 1, position: 4, tagEnd: 12 },
      { slug: 'scarf', component: 'ShopTheLook', line: 1, position: 9, tagEnd: 12 },
    ];
    const html = await container.renderToString(ShopTheLook, { props: { products: ['coat', 'scarf'], cards: [4, 9] }, locals: { user: null, session: null, cards: cards(refs) } });
    expect(formCards(html)).toEqual([4, 9]);
    // An id the post's refs do not give this product sells without post credit.
    const wrong = await container.renderToString(ShopTheLook, { props: { products: ['coat', 'scarf'], cards: [9, 4] }, locals: { user: null, session: null, cards: cards(refs) } });
    expect(formCards(wrong)).toEqual([]);
    expect(wrong).not.toMatch(/name="post"/);
  });
});
