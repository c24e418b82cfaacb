/** Card components rendered through Astro's Container API with products as the page preloads them. */
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { beforeAll, describe, expect, it } from 'vitest';
import ProductCard from '../../src/components/mdx/ProductCard.astro';
import ShopTheLook from '../../src/components/mdx/ShopTheLook.astro';
import ProductTile from '../../src/components/product/ProductTile.astro';
import type { ProductView, VariantView } from '../../src/server/catalog/index.ts';
import type { CardContext } from '../../src/lib/cards.ts';
import { extractProductRefs } from '../../src/server/content/index.ts';

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
  priceCents: 8900,
  compareAtCents: null,
  available: 10,
  ...o,
});
const product = (slug: string, o: Partial<ProductView> = {}): ProductView => ({
  id: vid,
  slug,
  name: `Name of ${slug}`,
  description: 'A description.',
  imagePath: `/images/products/${slug}.svg`,
  active: true,
  brand: { slug: 'atelier-nord', name: 'Atelier Nord' },
  category: { slug: 'tops', name: 'Tops' },
  variants: [variant({ sku: `${slug}-S`, size: 'S' }), variant({ sku: `${slug}-M`, size: 'M' })],
  priceValidUntil: null,
  sale: null,
  presale: null,
  ...o,
});

function cardsFor(body: string, products: ProductView[]): CardContext {
  return { postSlug: 'my-post', refs: extractProductRefs(body), products: new Map(products.map((p) => [p.slug, p])) };
}
const render = (component: Parameters<AstroContainer['renderToString']>[0], props: Record<string, unknown>, cards?: CardContext) =>
  container.renderToString(component, { props, locals: { user: null, session: null, cards } });

describe('ProductTile', () => {
  it('shows brand, linked name, live price with compare-at and saving, and a real add-to-bag form', async () => {
    const html = await render(ProductTile, {
      product: product('linen-shirt', { variants: [variant({ sku: 'LS-M', priceCents: 8900, compareAtCents: 11900 })] }),
    });
    expect(html).toContain('Atelier Nord');
    expect(html).toMatch(/<a href="\/products\/linen-shirt"[^>]*>Name of linen-shirt<\/a>/);
    expect(html).toContain('$89.00');
    expect(html).toMatch(/<s>.*\$119\.00<\/s>/s);
    expect(html).toContain('Save 25%');
    expect(html).toMatch(/<form[^>]*method="post"[^>]*action="\/bag\/add"/);
    expect(html).toMatch(/name="sku" value="LS-M"/);
    expect(html).toMatch(/width="800" height="1000"/);
  });
  it('badges low stock and disables sold-out sizes', async () => {
    const html = await render(ProductTile, {
      product: product('knit', { variants: [variant({ sku: 'K-S', size: 'S', available: 0 }), variant({ sku: 'K-M', size: 'M', available: 2 })] }),
    });
    expect(html).toContain('Only 2 left');
    expect(html).toMatch(/value="K-S"[^>]*disabled/);
  });
  it('preselects no size when there is more than one: the reader is asked (a message slot next to the button)', async () => {
    const html = await render(ProductTile, { product: product('tee') });
    expect(html).toMatch(/name="sku" value="tee-S"/);
    expect(html).not.toMatch(/name="sku"[^>]*checked/);
    expect(html).not.toMatch(/name="sku"[^>]*required/);
    // What the size question needs without JavaScript: the product and the way back to this card.
    expect(html).toMatch(/name="product" value="tee"/);
    expect(html).toMatch(/name="back" value="\/[^"]*#card-tee"/);
    expect(html).toMatch(/<p class="tile__msg"[^>]*role="status"[^>]*data-add-message/);
  });
  it('one size only: it is the one added (a hidden field, nothing to ask)', async () => {
    const html = await render(ProductTile, { product: product('belt', { variants: [variant({ sku: 'B-OS', size: null })] }) });
    expect(html).toMatch(/type="hidden" name="sku" value="B-OS"/);
  });
  it('a size the reader filtered by is preselected when the card has it in stock, and only then', async () => {
    const p = product('knit', { variants: [variant({ sku: 'K-S', size: 'S' }), variant({ sku: 'K-M', size: 'M' }), variant({ sku: 'K-L', size: 'L', available: 0 })] });
    expect(await render(ProductTile, { product: p, sizes: ['M'] })).toMatch(/value="K-M"[^>]*checked/);
    // Sold out in that size, or two of the filtered sizes fit: nothing is chosen for the reader.
    expect(await render(ProductTile, { product: p, sizes: ['L'] })).not.toMatch(/name="sku"[^>]*checked/);
    expect(await render(ProductTile, { product: p, sizes: ['S', 'M'] })).not.toMatch(/name="sku"[^>]*checked/);
  });
  it('says Sold out and cannot be added when nothing is left', async () => {
    const html = await render(ProductTile, { product: product('gone', { variants: [variant({ sku: 'G', available: 0 })] }) });
    expect(html).toContain('Sold out');
    expect(html).toMatch(/<button[^>]*disabled[^>]*>Sold out<\/button>/);
  });
});

describe('<ProductCard> in a post', () => {
  it('records the post and the card position on its form', async () => {
    const body = '<ProductCard product="tee" />\n\n<ProductCard product="coat" variant="coat-S" />';
    const cards = cardsFor(body, [product('tee'), product('coat')]);
    // `card` is what the compile step writes into the post (assignCardIds).
    const first = await render(ProductCard, { product: 'tee', card: 0 }, cards);
    const second = await render(ProductCard, { product: 'coat', variant: 'coat-S', card: 1 }, cards);
    expect(first).toMatch(/name="post" value="my-post"/);
    expect(first).toMatch(/name="card" value="0"/);
    expect(second).toMatch(/name="card" value="1"/);
    // The creator's variant picks the colour shown; the size is still the reader's to choose.
    expect(second).not.toMatch(/name="sku"[^>]*checked/);
    expect(second).toMatch(/name="back" value="[^"]*#card-my-post-1"/);
  });
  it('sells without post credit when the compiled id does not name this product in this post', async () => {
    const cards = cardsFor('<ProductCard product="tee" />', [product('tee'), product('coat')]);
    expect(await render(ProductCard, { product: 'coat', card: 0 }, cards)).not.toMatch(/name="post"/);
    expect(await render(ProductCard, { product: 'tee' }, cards)).not.toMatch(/name="post"/);
  });
  it('renders "no longer available" for an unknown product instead of crashing', async () => {
    const html = await render(ProductCard, { product: 'vanished' }, cardsFor('<ProductCard product="vanished" />', []));
    expect(html).toContain('is no longer available');
    expect(html).toContain('data-unavailable="vanished"');
    expect(html).not.toContain('<form');
  });
  it('renders "no longer available" for an inactive product, with its name', async () => {
    const html = await render(ProductCard, { product: 'old' }, cardsFor('<ProductCard product="old" />', [product('old', { active: false })]));
    expect(html).toContain('Name of old');
    expect(html).toContain('is no longer available');
  });
});

describe('<ShopTheLook>', () => {
  it('shows the set with the total of what can be bought', async () => {
    const body = '<ShopTheLook products={["a", "b", "c"]} />';
    const cards = cardsFor(body, [
      product('a', { variants: [variant({ sku: 'A', priceCents: 1000 })] }),
      product('b', { variants: [variant({ sku: 'B', priceCents: 2550 })] }),
    ]);
    const html = await render(ShopTheLook, { products: ['a', 'b', 'c'], card: 0 }, cards);
    expect(html).toContain('2 of 3 pieces');
    expect(html).toContain('$35.50');
    expect(html).toContain('data-unavailable="c"');
    expect(html).toMatch(/name="card" value="0"/);
    expect(html).toMatch(/name="card" value="1"/);
  });
});
