/**
 * Product structured data from reviews (https://schema.org/AggregateRating,
 * https://developers.google.com/search/docs/appearance/structured-data/review-snippet). Pure.
 * Built only from approved reviews of verified buyers; with none, nothing is added — never a
 * made-up or default rating.
 */
import type { RatingSummary } from './review-rules.ts';
import type { PublicReview } from './review-store.ts';

/** The `aggregateRating` and `review` members to spread into a Product, or `{}` without reviews. */
export function reviewsJsonLd(summary: RatingSummary, shown: readonly Pick<PublicReview, 'rating' | 'author' | 'body' | 'createdAt'>[]) {
  if (summary.count === 0 || summary.average === null) return {};
  return {
    aggregateRating: { '@type': 'AggregateRating', ratingValue: summary.average, reviewCount: summary.count, bestRating: 5, worstRating: 1 },
    review: shown.slice(0, 10).map((r) => ({
      '@type': 'Review',
      reviewRating: { '@type': 'Rating', ratingValue: r.rating, bestRating: 5, worstRating: 1 },
      author: { '@type': 'Person', name: r.author },
      datePublished: new Date(r.createdAt).toISOString().slice(0, 10),
      reviewBody: r.body,
    })),
  };
}
