/**
 * The demo shop's catalog. Slugs are referenced from src/content/posts/*.mdx — keep them stable.
 * Deterministic: the same data on every seed.
 *
 * Images: every colour has its own illustration, /images/products/<product-slug>-<colour-slug>.svg,
 * and a colourless product uses /images/products/<product-slug>.svg. They are written by
 * `npx tsx scripts/generate-images.ts`, which reads this file — rerun it after adding a product or colour.
 */
import type { BrandSeed, CategorySeed, CreatorSeed, ProductSeed, VariantSeed } from '../../db/factories/types.ts';

export const BRANDS: BrandSeed[] = [
  { slug: 'atelier-nord', name: 'Atelier Nord' },
  { slug: 'maison-laurel', name: 'Maison Laurel' },
  { slug: 'harlow-knit', name: 'Harlow Knit Co.' },
  { slug: 'field-and-fold', name: 'Field & Fold' },
  { slug: 'juniper-lane', name: 'Juniper Lane' },
  { slug: 'pasqua', name: 'Pasqua' },
  { slug: 'oro-studio', name: 'Oro Studio' },
];

export const CATEGORIES: CategorySeed[] = [
  { slug: 'tops', name: 'Tops' },
  { slug: 'knitwear', name: 'Knitwear' },
  { slug: 'trousers', name: 'Trousers' },
  { slug: 'skirts', name: 'Skirts' },
  { slug: 'dresses', name: 'Dresses' },
  { slug: 'outerwear', name: 'Outerwear' },
  { slug: 'shoes', name: 'Shoes' },
  { slug: 'bags', name: 'Bags' },
  { slug: 'accessories', name: 'Accessories' },
];

const APPAREL = ['XS', 'S', 'M', 'L', 'XL'] as const;
const SHOES = ['36', '37', '38', '39', '40', '41', '42'] as const;
const ONE_SIZE = ['One size'] as const;
const BELT = ['S', 'M', 'L'] as const;

interface ColourSpec {
  name: string;
  hex: string;
  /** SKU segment, e.g. SAND in LCS-SAND-M. */
  code: string;
  /** Stock per size, in the order of the product's sizes. */
  stock: number[];
}

interface ProductSpec {
  slug: string;
  name: string;
  brand: string;
  category: string;
  description: string;
  /** SKU prefix, e.g. LCS. */
  sku: string;
  sizes: readonly string[];
  priceCents: number;
  compareAtCents?: number;
  active?: boolean;
  /** Colour ways; omit for a colourless product and give `stock` instead. */
  colours?: ColourSpec[];
  stock?: number[];
}

/** 'Heather Grey' → 'heather-grey': the colour part of an image file name. */
function colourSlug(colour: string): string {
  return colour
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function sizeCode(size: string): string {
  return size === 'One size' ? 'OS' : size;
}

function product(spec: ProductSpec): ProductSeed {
  const price = { priceCents: spec.priceCents, ...(spec.compareAtCents ? { compareAtCents: spec.compareAtCents } : {}) };
  const variants: VariantSeed[] = [];
  const stockFor = (stock: number[], i: number, what: string) => {
    const n = stock[i];
    if (n === undefined || stock.length !== spec.sizes.length) throw new Error(`${spec.slug}: stock for ${what} does not match its sizes`);
    return n;
  };
  if (spec.colours) {
    for (const c of spec.colours) {
      const image = `/images/products/${spec.slug}-${colourSlug(c.name)}.svg`;
      spec.sizes.forEach((size, i) => {
        variants.push({
          sku: `${spec.sku}-${c.code}-${sizeCode(size)}`,
          size,
          colour: c.name,
          colourHex: c.hex,
          image,
          ...price,
          stock: stockFor(c.stock, i, c.name),
        });
      });
    }
  } else {
    spec.sizes.forEach((size, i) => {
      variants.push({ sku: `${spec.sku}-${sizeCode(size)}`, size, ...price, stock: stockFor(spec.stock ?? [], i, 'sizes') });
    });
  }
  const first = spec.colours?.[0];
  return {
    slug: spec.slug,
    name: spec.name,
    brand: spec.brand,
    category: spec.category,
    description: spec.description,
    image: first ? `/images/products/${spec.slug}-${colourSlug(first.name)}.svg` : `/images/products/${spec.slug}.svg`,
    ...(spec.active === false ? { active: false } : {}),
    variants,
  };
}

export const PRODUCTS: ProductSeed[] = [
  // ── Tops ──────────────────────────────────────────────────────────────────────────────────────
  product({
    slug: 'linen-camp-shirt',
    name: 'Linen Camp Shirt',
    brand: 'atelier-nord',
    category: 'tops',
    sku: 'LCS',
    sizes: APPAREL,
    priceCents: 8900,
    compareAtCents: 11900,
    description:
      'A boxy camp-collar shirt in washed European linen that softens with every wear. Dropped shoulders, a straight hem made for wearing untucked and corozo buttons. Wear it open over a tee in September and buttoned under a knit once it turns cold.',
    colours: [
      { name: 'Sand', hex: '#d8c3a5', code: 'SAND', stock: [4, 12, 2, 0, 5] },
      { name: 'Olive', hex: '#6b6b3a', code: 'OLIV', stock: [3, 7, 9, 1, 0] },
    ],
  }),
  product({
    slug: 'poplin-oversized-shirt',
    name: 'Oversized Poplin Shirt',
    brand: 'maison-laurel',
    category: 'tops',
    sku: 'POS',
    sizes: APPAREL,
    priceCents: 12900,
    description:
      'A crisp, generously cut shirt in dense organic cotton poplin with a long back hem and deep cuffs. It holds a sharp collar under a crewneck and looks just as good worn open as a light jacket. Size down if you prefer a classic fit.',
    colours: [
      { name: 'White', hex: '#f6f4ef', code: 'WHT', stock: [8, 14, 18, 11, 6] },
      { name: 'Pale Blue', hex: '#b9cde0', code: 'BLU', stock: [5, 9, 12, 7, 0] },
    ],
  }),
  product({
    slug: 'organic-cotton-tee',
    name: 'Organic Cotton Tee',
    brand: 'atelier-nord',
    category: 'tops',
    sku: 'OCT',
    sizes: APPAREL,
    priceCents: 2900,
    description:
      'The everyday tee, knitted from mid-weight organic cotton that is opaque even in white. A neat crew neck that keeps its shape after washing and a body that sits just below the hip. Easy to layer, easy to tuck.',
    colours: [
      { name: 'White', hex: '#f6f4ef', code: 'WHT', stock: [20, 34, 40, 22, 9] },
      { name: 'Black', hex: '#1d1d1f', code: 'BLK', stock: [15, 28, 31, 18, 6] },
      { name: 'Stone', hex: '#b8b2a7', code: 'STN', stock: [8, 12, 9, 0, 4] },
    ],
  }),
  product({
    slug: 'silk-slip-camisole',
    name: 'Silk Slip Camisole',
    brand: 'juniper-lane',
    category: 'tops',
    sku: 'SSC',
    sizes: APPAREL,
    priceCents: 7900,
    description:
      'A bias-cut camisole in sandwashed silk with a soft V neckline and adjustable straps. It drapes rather than clings and sits just at the hip. Under a blazer it does the work of a blouse with none of the fuss.',
    colours: [
      { name: 'Champagne', hex: '#e3cfae', code: 'CHP', stock: [6, 10, 9, 5, 2] },
      { name: 'Black', hex: '#1d1d1f', code: 'BLK', stock: [7, 12, 12, 8, 4] },
    ],
  }),
  product({
    slug: 'ribbed-long-sleeve-top',
    name: 'Ribbed Long-Sleeve Top',
    brand: 'atelier-nord',
    category: 'tops',
    sku: 'RLT',
    sizes: APPAREL,
    priceCents: 4500,
    description:
      'A close-fitting long-sleeve top in a fine cotton-modal rib with a little stretch. The scoop neck and slim sleeves slide neatly under knits and jackets. A base layer that looks finished on its own.',
    colours: [
      { name: 'Chocolate', hex: '#4a3326', code: 'CHO', stock: [8, 12, 10, 7, 4] },
      { name: 'Oat', hex: '#e6dccb', code: 'OAT', stock: [6, 13, 9, 7, 5] },
    ],
  }),

  // ── Knitwear ──────────────────────────────────────────────────────────────────────────────────
  product({
    slug: 'merino-crewneck',
    name: 'Fine Merino Crewneck',
    brand: 'harlow-knit',
    category: 'knitwear',
    sku: 'MCN',
    sizes: APPAREL,
    priceCents: 11900,
    description:
      'A fine-gauge crewneck in extra-fine Australian merino, light enough to wear over a shirt collar without bulk. Ribbed cuffs and hem, a relaxed body and a fully fashioned shoulder. Machine washable on a wool cycle.',
    colours: [
      { name: 'Oat', hex: '#e6dccb', code: 'OAT', stock: [7, 14, 12, 9, 5] },
      { name: 'Charcoal', hex: '#3b3b3f', code: 'CHA', stock: [6, 11, 15, 10, 6] },
      { name: 'Forest', hex: '#2f4a3a', code: 'FOR', stock: [2, 3, 1, 0, 0] },
    ],
  }),
  product({
    slug: 'cashmere-v-neck-cardigan',
    name: 'Cashmere V-Neck Cardigan',
    brand: 'harlow-knit',
    category: 'knitwear',
    sku: 'CVC',
    sizes: APPAREL,
    priceCents: 24900,
    compareAtCents: 29900,
    description:
      'A slightly cropped cardigan in two-ply Mongolian cashmere with a deep V and horn buttons. Worn buttoned it is a sweater; worn open it is the softest jacket you own. Knitted in Scotland in a 12-gauge that resists pilling.',
    colours: [
      { name: 'Camel', hex: '#c19a6b', code: 'CML', stock: [2, 4, 3, 1, 0] },
      { name: 'Ivory', hex: '#f1ead9', code: 'IVR', stock: [5, 7, 6, 4, 3] },
    ],
  }),
  product({
    slug: 'chunky-fisherman-sweater',
    name: 'Chunky Fisherman Sweater',
    brand: 'harlow-knit',
    category: 'knitwear',
    sku: 'CFS',
    sizes: APPAREL,
    priceCents: 16900,
    description:
      'A heavyweight cable knit in undyed British wool, spun to keep some of its natural lanolin. Cables down the front, a high crew neck and a generous, slightly cropped body. Warm enough to stand in for a jacket on dry autumn days.',
    stock: [1, 3, 4, 2, 0],
  }),
  product({
    slug: 'alpaca-blend-vest',
    name: 'Alpaca Blend Sweater Vest',
    brand: 'harlow-knit',
    category: 'knitwear',
    sku: 'ABV',
    sizes: APPAREL,
    priceCents: 8900,
    description:
      'A brushed alpaca and merino sweater vest with a neat V neck and deep armholes that sit comfortably over a shirt. Featherlight but properly warm. This season it sold through in a week; a restock is planned for winter.',
    colours: [
      { name: 'Heather Grey', hex: '#a7a5a1', code: 'HGR', stock: [0, 0, 0, 0, 0] },
      { name: 'Camel', hex: '#c19a6b', code: 'CML', stock: [0, 0, 0, 0, 0] },
    ],
  }),

  // ── Trousers ──────────────────────────────────────────────────────────────────────────────────
  product({
    slug: 'pleated-wool-trousers',
    name: 'Pleated Wool Trousers',
    brand: 'maison-laurel',
    category: 'trousers',
    sku: 'PWT',
    sizes: APPAREL,
    priceCents: 18900,
    description:
      'High-rise trousers in a fluid wool twill with double front pleats and a full leg that breaks softly over the shoe. Side-seam pockets, a hook-and-bar fastening and a clean, unlined finish. The pair that makes a sweater look like an outfit.',
    colours: [
      { name: 'Charcoal', hex: '#3b3b3f', code: 'CHA', stock: [5, 9, 11, 7, 4] },
      { name: 'Camel', hex: '#c19a6b', code: 'CML', stock: [4, 7, 8, 5, 2] },
    ],
  }),
  product({
    slug: 'wide-leg-denim-jeans',
    name: 'Wide-Leg Jeans',
    brand: 'field-and-fold',
    category: 'trousers',
    sku: 'WLJ',
    sizes: APPAREL,
    priceCents: 13900,
    compareAtCents: 15900,
    description:
      'Rigid 13 oz denim cut high on the waist and wide through the leg, with a long inseam you can hem to your height. No stretch, so they soften and mould over a few weeks. Button fly, five pockets and a clean rinse wash.',
    colours: [
      { name: 'Indigo', hex: '#2e4361', code: 'IND', stock: [9, 15, 18, 12, 7] },
      { name: 'Ecru', hex: '#ece3cf', code: 'ECR', stock: [4, 8, 6, 3, 0] },
    ],
  }),
  product({
    slug: 'straight-leg-chinos',
    name: 'Straight-Leg Chinos',
    brand: 'field-and-fold',
    category: 'trousers',
    sku: 'SLC',
    sizes: APPAREL,
    priceCents: 9900,
    description:
      'Mid-rise chinos in a garment-dyed cotton twill with a straight leg and a slightly cropped length. Softer and more relaxed than office chinos, sharper than sweatpants. They look best with a small cuff over a boot or a loafer.',
    colours: [
      { name: 'Khaki', hex: '#b3a47c', code: 'KHK', stock: [7, 12, 14, 9, 5] },
      { name: 'Navy', hex: '#1f2a44', code: 'NVY', stock: [5, 10, 11, 8, 4] },
    ],
  }),
  product({
    slug: 'linen-drawstring-trousers',
    name: 'Linen Drawstring Trousers',
    brand: 'atelier-nord',
    category: 'trousers',
    sku: 'LDT',
    sizes: APPAREL,
    priceCents: 9500,
    active: false,
    description:
      'Relaxed pull-on trousers in washed linen with a drawstring waist and a soft tapered leg. A summer piece, resting until the spring collection comes back.',
    colours: [{ name: 'Sand', hex: '#d8c3a5', code: 'SAND', stock: [6, 9, 9, 5, 4] }],
  }),

  // ── Skirts ────────────────────────────────────────────────────────────────────────────────────
  product({
    slug: 'pleated-midi-skirt',
    name: 'Pleated Midi Skirt',
    brand: 'maison-laurel',
    category: 'skirts',
    sku: 'PMS',
    sizes: APPAREL,
    priceCents: 11900,
    description:
      'A knife-pleated midi skirt in a matte recycled satin that moves beautifully and does not crease in a bag. A flat elasticated back waistband for comfort and a hem that hits mid-calf. Works with trainers, boots and a chunky knit alike.',
    colours: [
      { name: 'Olive', hex: '#6b6b3a', code: 'OLIV', stock: [6, 9, 8, 5, 3] },
      { name: 'Black', hex: '#1d1d1f', code: 'BLK', stock: [8, 12, 11, 7, 4] },
    ],
  }),

  // ── Dresses ───────────────────────────────────────────────────────────────────────────────────
  product({
    slug: 'satin-bias-slip-dress',
    name: 'Satin Bias Slip Dress',
    brand: 'juniper-lane',
    category: 'dresses',
    sku: 'SBD',
    sizes: APPAREL,
    priceCents: 15900,
    description:
      'A bias-cut slip dress in heavy matte satin that skims rather than clings, finishing just above the ankle. A cowl-free V neckline, fine adjustable straps and a fully lined body. Dresses up with heels and down with a big sweater thrown over it.',
    colours: [
      { name: 'Midnight', hex: '#1c2238', code: 'MID', stock: [5, 8, 7, 4, 2] },
      { name: 'Bordeaux', hex: '#5e1b2a', code: 'BDX', stock: [1, 2, 3, 1, 0] },
    ],
  }),
  product({
    slug: 'ribbed-knit-midi-dress',
    name: 'Ribbed Knit Midi Dress',
    brand: 'harlow-knit',
    category: 'dresses',
    sku: 'RKD',
    sizes: APPAREL,
    priceCents: 17900,
    description:
      'A long-sleeved column dress in a substantial merino-blend rib that holds its shape instead of clinging. Mock neck, a small side split and a hem that lands mid-calf. Layer a coat over it and you are dressed for the whole season.',
    colours: [
      { name: 'Cocoa', hex: '#6f4e3d', code: 'COC', stock: [6, 9, 8, 5, 4] },
      { name: 'Oat', hex: '#e6dccb', code: 'OAT', stock: [2, 3, 2, 0, 0] },
    ],
  }),
  product({
    slug: 'poplin-shirt-dress',
    name: 'Poplin Shirt Dress',
    brand: 'maison-laurel',
    category: 'dresses',
    sku: 'PSD',
    sizes: APPAREL,
    priceCents: 14900,
    compareAtCents: 18900,
    description:
      'A midi shirt dress in crisp cotton poplin with a removable tie belt, a full placket and roomy patch pockets. Wear it belted and buttoned, or open over trousers as a duster. It irons in minutes and packs flat.',
    colours: [
      { name: 'Chambray', hex: '#8fa7c0', code: 'CHB', stock: [5, 8, 9, 6, 4] },
      { name: 'White', hex: '#f6f4ef', code: 'WHT', stock: [4, 7, 8, 5, 0] },
    ],
  }),
  product({
    slug: 'long-sleeve-wrap-dress',
    name: 'Long-Sleeve Wrap Dress',
    brand: 'juniper-lane',
    category: 'dresses',
    sku: 'LWD',
    sizes: APPAREL,
    priceCents: 14500,
    description:
      'A true wrap dress in a weighty crepe jersey with a deep V, long fitted sleeves and a skirt that swings below the knee. The ties are long enough to wrap twice. Flattering on almost everyone and impossible to wrinkle.',
    colours: [
      { name: 'Bottle Green', hex: '#234236', code: 'BGR', stock: [5, 9, 8, 6, 4] },
      { name: 'Black', hex: '#1d1d1f', code: 'BLK', stock: [7, 10, 9, 6, 4] },
    ],
  }),

  // ── Outerwear ─────────────────────────────────────────────────────────────────────────────────
  product({
    slug: 'double-faced-wool-coat',
    name: 'Double-Faced Wool Coat',
    brand: 'maison-laurel',
    category: 'outerwear',
    sku: 'DWC',
    sizes: APPAREL,
    priceCents: 39900,
    description:
      'An unlined, hand-finished coat in double-faced wool and cashmere, cut long and straight with dropped shoulders and a wide notch lapel. Without a lining it drapes like a blanket and weighs almost nothing. Roomy enough for a chunky knit underneath.',
    colours: [
      { name: 'Camel', hex: '#c19a6b', code: 'CML', stock: [1, 3, 2, 1, 0] },
      { name: 'Charcoal', hex: '#3b3b3f', code: 'CHA', stock: [4, 6, 7, 5, 3] },
    ],
  }),
  product({
    // On pre-order in the demo (scripts/seed/demo-sales.ts): no stock yet, sold up to a cap.
    slug: 'corduroy-chore-jacket',
    name: 'Corduroy Chore Jacket',
    brand: 'field-and-fold',
    category: 'outerwear',
    sku: 'CCJ',
    sizes: APPAREL,
    priceCents: 19900,
    description:
      'A boxy chore jacket in 8-wale cotton corduroy with three patch pockets, corozo buttons and a soft brushed lining. Cut to layer over a knit. The first run is being sewn now: pre-order it and it ships on the date shown.',
    colours: [{ name: 'Rust', hex: '#9c4f2e', code: 'RST', stock: [0, 0, 0, 0, 0] }],
  }),
  product({
    slug: 'waxed-cotton-field-jacket',
    name: 'Waxed Cotton Field Jacket',
    brand: 'field-and-fold',
    category: 'outerwear',
    sku: 'WFJ',
    sizes: APPAREL,
    priceCents: 24900,
    description:
      'A hip-length field jacket in British waxed cotton with a corduroy collar, four bellows pockets and a tartan cotton lining. Showerproof, windproof and better with every scuff. Re-wax it once a year and it will outlast you.',
    colours: [
      { name: 'Olive', hex: '#6b6b3a', code: 'OLIV', stock: [5, 9, 10, 8, 4] },
      { name: 'Navy', hex: '#1f2a44', code: 'NVY', stock: [4, 7, 8, 6, 3] },
    ],
  }),
  product({
    slug: 'oversized-wool-blazer',
    name: 'Oversized Wool Blazer',
    brand: 'maison-laurel',
    category: 'outerwear',
    sku: 'OWB',
    sizes: APPAREL,
    priceCents: 27900,
    description:
      'A single-breasted blazer in a soft Italian wool flannel with a relaxed shoulder and a longer body that covers the hip. Half-lined so it layers over knitwear without bunching. Sized generously: take your usual size for an oversized fit.',
    colours: [
      { name: 'Charcoal', hex: '#3b3b3f', code: 'CHA', stock: [4, 8, 9, 6, 3] },
      { name: 'Brown', hex: '#5c4030', code: 'BRN', stock: [1, 2, 2, 0, 0] },
    ],
  }),
  product({
    slug: 'classic-cotton-trench',
    name: 'Classic Cotton Trench',
    brand: 'field-and-fold',
    category: 'outerwear',
    sku: 'CCT',
    sizes: APPAREL,
    priceCents: 32900,
    compareAtCents: 38900,
    description:
      'A double-breasted trench in a tightly woven cotton gabardine with a storm flap, a removable belt and a below-the-knee length. Water-resistant without feeling technical. The one coat that works over tailoring, denim and a dress.',
    colours: [
      { name: 'Stone', hex: '#c8b99c', code: 'STN', stock: [5, 8, 9, 7, 4] },
      { name: 'Navy', hex: '#1f2a44', code: 'NVY', stock: [1, 3, 2, 1, 0] },
    ],
  }),
  product({
    slug: 'quilted-liner-jacket',
    name: 'Quilted Liner Jacket',
    brand: 'field-and-fold',
    category: 'outerwear',
    sku: 'QLJ',
    sizes: APPAREL,
    priceCents: 14900,
    description:
      'A lightweight collarless jacket with diamond quilting and recycled insulation, designed to be worn alone or under a bigger coat. Snap front, two welt pockets and bound edges. Packs into almost nothing.',
    colours: [
      { name: 'Black', hex: '#1d1d1f', code: 'BLK', stock: [7, 11, 10, 8, 5] },
      { name: 'Sage', hex: '#a3ad8f', code: 'SGE', stock: [4, 6, 7, 3, 0] },
    ],
  }),

  // ── Shoes ─────────────────────────────────────────────────────────────────────────────────────
  product({
    slug: 'leather-penny-loafers',
    name: 'Leather Penny Loafers',
    brand: 'pasqua',
    category: 'shoes',
    sku: 'PLF',
    sizes: SHOES,
    priceCents: 21900,
    description:
      'Hand-lasted penny loafers in polished calf leather with a chunky-but-not-clumpy rubber sole. A rounded almond toe and a leather lining that breaks in within a week. True to size; half sizes should size down.',
    colours: [
      { name: 'Black', hex: '#1d1d1f', code: 'BLK', stock: [4, 8, 12, 14, 10, 6, 3] },
      { name: 'Cognac', hex: '#9a5a2c', code: 'CGN', stock: [3, 6, 7, 9, 6, 4, 0] },
    ],
  }),
  product({
    slug: 'suede-chelsea-boots',
    name: 'Suede Chelsea Boots',
    brand: 'pasqua',
    category: 'shoes',
    sku: 'SCB',
    sizes: SHOES,
    priceCents: 26900,
    compareAtCents: 29900,
    description:
      'Ankle-height Chelsea boots in water-repellent Italian suede with wide elastic gussets and a stacked 3 cm heel. A Goodyear-welted rubber sole that can be resoled for years. They run slightly large; take a half size down.',
    colours: [
      { name: 'Tobacco', hex: '#7a5534', code: 'TOB', stock: [0, 4, 6, 8, 7, 5, 2] },
      { name: 'Black', hex: '#1d1d1f', code: 'BLK', stock: [4, 6, 9, 10, 8, 6, 4] },
    ],
  }),
  product({
    slug: 'minimal-leather-sneakers',
    name: 'Minimal Leather Sneakers',
    brand: 'pasqua',
    category: 'shoes',
    sku: 'MLS',
    sizes: SHOES,
    priceCents: 15900,
    description:
      'Clean low-top sneakers in full-grain white leather on a stitched natural rubber cupsole. No logos, waxed cotton laces and a padded collar. They look smart with tailoring and crease gracefully.',
    stock: [5, 9, 13, 15, 12, 8, 4],
  }),
  product({
    slug: 'square-toe-ballet-flats',
    name: 'Square-Toe Ballet Flats',
    brand: 'pasqua',
    category: 'shoes',
    sku: 'SBF',
    sizes: SHOES,
    priceCents: 13900,
    description:
      'Soft nappa ballet flats with a modern square toe, a low-cut topline and a tiny grosgrain bow. A thin cushioned footbed and a rubber-tipped sole make them a walking shoe, not just an evening one. Fits true to size.',
    colours: [
      { name: 'Black', hex: '#1d1d1f', code: 'BLK', stock: [4, 7, 10, 9, 6, 3, 0] },
      { name: 'Burgundy', hex: '#6d2432', code: 'BUR', stock: [2, 4, 6, 6, 3, 1, 0] },
    ],
  }),

  // ── Bags ──────────────────────────────────────────────────────────────────────────────────────
  product({
    slug: 'canvas-market-tote',
    name: 'Canvas Market Tote',
    brand: 'oro-studio',
    category: 'bags',
    sku: 'CMT',
    sizes: ONE_SIZE,
    priceCents: 5900,
    description:
      'A big, structured tote in 18 oz cotton canvas with leather-reinforced handles and an inside zip pocket. Fits a laptop, a sweater and the weekly shop. Stands up on its own when it is empty.',
    colours: [
      { name: 'Natural', hex: '#e8dcc4', code: 'NAT', stock: [24] },
      { name: 'Black', hex: '#1d1d1f', code: 'BLK', stock: [11] },
    ],
  }),
  product({
    slug: 'leather-shoulder-bag',
    name: 'Leather Shoulder Bag',
    brand: 'oro-studio',
    category: 'bags',
    sku: 'LSB',
    sizes: ONE_SIZE,
    priceCents: 29900,
    compareAtCents: 34900,
    description:
      'A slouchy crescent shoulder bag in vegetable-tanned leather with a single adjustable strap and a magnetic closure. Big enough for a paperback, a water bottle and the usual clutter. The leather darkens and softens with use.',
    colours: [
      { name: 'Black', hex: '#1d1d1f', code: 'BLK', stock: [9] },
      { name: 'Tan', hex: '#b0794a', code: 'TAN', stock: [2] },
    ],
  }),
  product({
    slug: 'mini-crossbody-bag',
    name: 'Mini Crossbody Bag',
    brand: 'oro-studio',
    category: 'bags',
    sku: 'MCB',
    sizes: ONE_SIZE,
    priceCents: 18900,
    description:
      'A compact flap bag in pebbled leather on a long, adjustable strap, sized for a phone, cards and keys. A card slot at the back and brushed brass hardware. Wear it across the body by day and shorten the strap at night.',
    colours: [
      { name: 'Chocolate', hex: '#4a3326', code: 'CHO', stock: [8] },
      { name: 'Sage', hex: '#a3ad8f', code: 'SGE', stock: [1] },
    ],
  }),

  // ── Accessories ───────────────────────────────────────────────────────────────────────────────
  product({
    slug: 'cashmere-scarf',
    name: 'Cashmere Scarf',
    brand: 'harlow-knit',
    category: 'accessories',
    sku: 'CSF',
    sizes: ONE_SIZE,
    priceCents: 12900,
    compareAtCents: 15900,
    description:
      'A long, generous scarf woven from pure cashmere with a soft brushed finish and hand-twisted fringe. Wide enough to wear as a wrap on a cold train. Comes folded in a cotton dust bag.',
    colours: [
      { name: 'Camel', hex: '#c19a6b', code: 'CML', stock: [14] },
      { name: 'Grey', hex: '#8e8c88', code: 'GRY', stock: [18] },
      { name: 'Ivory', hex: '#f1ead9', code: 'IVR', stock: [2] },
    ],
  }),
  product({
    slug: 'ribbed-wool-beanie',
    name: 'Ribbed Wool Beanie',
    brand: 'harlow-knit',
    category: 'accessories',
    sku: 'RWB',
    sizes: ONE_SIZE,
    priceCents: 3900,
    description:
      'A close-fitting beanie in a deep lambswool rib with a turn-back cuff. Warm without being itchy and shallow enough not to slouch. Hand-finished in Scotland.',
    colours: [
      { name: 'Oat', hex: '#e6dccb', code: 'OAT', stock: [14] },
      { name: 'Forest', hex: '#2f4a3a', code: 'FOR', stock: [7] },
      { name: 'Black', hex: '#1d1d1f', code: 'BLK', stock: [0] },
    ],
  }),
  product({
    slug: 'leather-belt',
    name: 'Leather Belt',
    brand: 'oro-studio',
    category: 'accessories',
    sku: 'LBT',
    sizes: BELT,
    priceCents: 6900,
    description:
      'A 3 cm belt cut from a single piece of bridle leather with a solid brass buckle and burnished edges. Slim enough for trousers, sturdy enough for jeans. It will outlast every pair you own.',
    colours: [
      { name: 'Black', hex: '#1d1d1f', code: 'BLK', stock: [9, 14, 8] },
      { name: 'Brown', hex: '#5c4030', code: 'BRN', stock: [6, 11, 5] },
    ],
  }),
];

export const CREATORS: CreatorSeed[] = [
  { handle: 'maya-okafor', displayName: 'Maya Okafor', email: 'maya-okafor@lookbook.test' },
  { handle: 'jules-laurent', displayName: 'Jules Laurent', email: 'jules-laurent@lookbook.test' },
  { handle: 'priya-shah', displayName: 'Priya Shah', email: 'priya-shah@lookbook.test' },
  { handle: 'sam-reyes', displayName: 'Sam Reyes', email: 'sam-reyes@lookbook.test' },
];
