/**
 * Structured data (schema.org) for posts and products, built from plain values.
 * https://developers.google.com/search/docs/appearance/structured-data/article
 */
import type { ProductView } from '../catalog/index.ts';
import { priceSummary, totalAvailable } from '../catalog/index.ts';
import { toDecimalString } from '../shared/index.ts';
import type { PostSummary } from './posts.ts';
import { paths } from '../shared/index.ts';

interface ShopInfo {
  name: string;
  currency: string;
}

/** `brief` leaves out the description (for lists of products inside a post's data). */
export function productJsonLd(p: ProductView, site: URL, shop: ShopInfo, brief = false) {
  const price = priceSummary(p.variants);
  return {
    '@type': 'Product',
    name: p.name,
    ...(brief ? {} : { description: p.description, category: p.category.name }),
    image: new URL(p.imagePath, site).href,
    url: new URL(paths.product(p.slug), site).href,
    brand: { '@type': 'Brand', name: p.brand.name },
    sku: p.variants[0]?.sku,
    ...(price
      ? {
          offers: {
            '@type': 'AggregateOffer',
            priceCurrency: shop.currency,
            lowPrice: toDecimalString(Math.min(...p.variants.map((v) => v.priceCents))),
            highPrice: toDecimalString(Math.max(...p.variants.map((v) => v.priceCents))),
            offerCount: p.variants.length,
            // A product on pre-order (docs/decisions/0055-presale-selling.md) is offered as PreOrder.
            availability: totalAvailable(p.variants) <= 0 ? 'https://schema.org/OutOfStock' : p.presale?.state === 'open' ? 'https://schema.org/PreOrder' : 'https://schema.org/InStock',
            seller: { '@type': 'Organization', name: shop.name },
          },
        }
      : {}),
  };
}

export function articleJsonLd({
  post,
  creatorName,
  products,
  site,
  shop,
}: {
  post: PostSummary;
  creatorName: string;
  products: ProductView[];
  site: URL;
  shop: ShopInfo;
}) {
  const live = products.filter((p) => p.active && p.variants.length > 0);
  return {
    '@context': 'https://schema.org',
    '@graph': [
      {
        '@type': 'Article',
        headline: post.title,
        description: post.summary,
        image: new URL(post.hero.src, site).href,
        datePublished: post.published.toISOString(),
        author: { '@type': 'Person', name: creatorName, url: new URL(paths.creator(post.creator), site).href },
        publisher: { '@type': 'Organization', name: shop.name },
        mainEntityOfPage: new URL(paths.post(post.slug), site).href,
      },
      ...(live.length
        ? [
            {
              '@type': 'ItemList',
              name: 'Shop this post',
              itemListElement: live.map((p, i) => ({ '@type': 'ListItem', position: i + 1, item: productJsonLd(p, site, shop, true) })),
            },
          ]
        : []),
    ],
  };
}
