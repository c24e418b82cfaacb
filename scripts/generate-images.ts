/**
 * `npx tsx scripts/generate-images.ts` — writes the demo shop's SVG illustrations under public/images/.
 *
 *   products/<product-slug>-<colour-slug>.svg   one per product colour (the path the seed puts on the variant)
 *   products/<product-slug>.svg                 colourless products
 *   products/placeholder.svg                    fallback for products without an image
 *   posts/<slug>.svg                            post heroes, composed from the products the post shows
 *   creators/<handle>.svg                       creator avatars
 *
 * Deterministic: no randomness, no clock — the same catalog and posts give byte-identical files.
 * It reads PRODUCTS/CREATORS from scripts/seed/catalog-data.ts and the posts from src/content/posts, so
 * rerun it after adding a product, a colour, a creator or a post. Stale SVGs in those three folders
 * are removed. Every file is self-contained (no external references, no web fonts) and small (< 6 KB).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CREATORS, PRODUCTS } from './seed/catalog-data.ts';
import type { ProductSeed } from '../db/factories/types.ts';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'public/images');
const POSTS_DIR = join(ROOT, 'src/content/posts');
const PAPER = '#f3eee6';
const MAX_BYTES = 6 * 1024;

// ── Colour ─────────────────────────────────────────────────────────────────────────────────────

type RGB = [number, number, number];
const rgb = (hex: string): RGB => {
  const h = hex.replace('#', '');
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as RGB;
};
const hexOf = ([r, g, b]: RGB) => '#' + [r, g, b].map((c) => Math.round(Math.max(0, Math.min(255, c))).toString(16).padStart(2, '0')).join('');
/** t = 0 → a, t = 1 → b */
const mix = (a: string, b: string, t: number) => {
  const x = rgb(a);
  const y = rgb(b);
  return hexOf([0, 1, 2].map((i) => x[i]! + (y[i]! - x[i]!) * t) as RGB);
};
const lum = (hex: string) => {
  const [r, g, b] = rgb(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as RGB;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
/** A shadow tone of a colour: darker, or lighter for near-black colours so it stays visible. */
const tone = (hex: string, amt: number) => (lum(hex) < 0.03 ? mix(hex, '#ffffff', amt * 0.9) : mix(hex, '#000000', amt));
/** Stitch and detail colour: readable on the garment. */
const ink = (hex: string) => (lum(hex) > 0.25 ? mix(hex, '#000000', 0.35) : mix(hex, '#ffffff', 0.3));

// ── Small helpers ──────────────────────────────────────────────────────────────────────────────

type P = [number, number];
const n = (v: number) => String(Math.round(v * 10) / 10);
const p = ([x, y]: P) => `${n(x)},${n(y)}`;
const mx = ([x, y]: P): P => [800 - x, y];
const poly = (pts: P[]) => `M${pts.map(p).join('L')}Z`;

/** Segment ends at `to`; `c` is an optional quadratic control point. */
interface Seg {
  to: P;
  c?: P;
}
/**
 * A left-right symmetric outline: `left` runs from a start point down the left side; the right side
 * is its mirror, walked back up. `close` is the path from the mirrored start back to the start.
 */
function sym(start: P, left: Seg[], close = 'Z'): string {
  let d = `M${p(start)}`;
  for (const s of left) d += s.c ? `Q${p(s.c)} ${p(s.to)}` : `L${p(s.to)}`;
  const pts: P[] = [start, ...left.map((s) => s.to)];
  d += `L${p(mx(pts[pts.length - 1]!))}`;
  for (let i = left.length - 1; i >= 0; i--) {
    const s = left[i]!;
    const to = mx(pts[i]!);
    d += s.c ? `Q${p(mx(s.c))} ${p(to)}` : `L${p(to)}`;
  }
  return d + close;
}
const path = (d: string, fill: string, extra = '') => `<path d="${d}" fill="${fill}"${extra}/>`;
const line = (d: string, stroke: string, w = 3, extra = '') =>
  `<path d="${d}" fill="none" stroke="${stroke}" stroke-width="${w}" stroke-linecap="round" stroke-linejoin="round"${extra}/>`;
const circle = (cx: number, cy: number, r: number, fill: string, extra = '') => `<circle cx="${n(cx)}" cy="${n(cy)}" r="${n(r)}" fill="${fill}"${extra}/>`;

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Unique ids inside one SVG document (patterns). */
class Ids {
  private i = 0;
  next(prefix: string) {
    return `${prefix}${++this.i}`;
  }
}

// ── Garments (drawn in an 800×1000 frame, centred on x = 400) ─────────────────────────────────

type Garment =
  | 'camp-shirt'
  | 'shirt'
  | 'tee'
  | 'cami'
  | 'longsleeve'
  | 'crewneck'
  | 'cardigan'
  | 'cable'
  | 'vest'
  | 'trousers'
  | 'jeans'
  | 'chinos'
  | 'skirt'
  | 'slip-dress'
  | 'knit-dress'
  | 'shirt-dress'
  | 'wrap-dress'
  | 'coat'
  | 'trench'
  | 'blazer'
  | 'field-jacket'
  | 'liner'
  | 'loafer'
  | 'boot'
  | 'sneaker'
  | 'flat'
  | 'tote'
  | 'shoulder-bag'
  | 'crossbody'
  | 'scarf'
  | 'beanie'
  | 'belt';

/** Which illustration a product gets: by name keywords first, then by category. */
function garmentOf(pr: Pick<ProductSeed, 'slug' | 'category'>): Garment {
  const s = pr.slug;
  const rules: [RegExp, Garment][] = [
    [/camp-shirt/, 'camp-shirt'],
    [/shirt-dress/, 'shirt-dress'],
    [/slip-dress/, 'slip-dress'],
    [/knit.*dress/, 'knit-dress'],
    [/wrap-dress|dress/, 'wrap-dress'],
    [/shirt/, 'shirt'],
    [/tee|t-shirt/, 'tee'],
    [/camisole|cami\b/, 'cami'],
    [/long-sleeve|top/, 'longsleeve'],
    [/cardigan/, 'cardigan'],
    [/vest/, 'vest'],
    [/fisherman|cable|chunky/, 'cable'],
    [/crewneck|sweater|jumper|knit/, 'crewneck'],
    [/jeans|denim/, 'jeans'],
    [/chino/, 'chinos'],
    [/trousers|pants/, 'trousers'],
    [/skirt/, 'skirt'],
    [/trench/, 'trench'],
    [/blazer/, 'blazer'],
    [/field-jacket|jacket/, 'field-jacket'],
    [/liner|quilted|puffer/, 'liner'],
    [/coat/, 'coat'],
    [/loafer|oxford|derby/, 'loafer'],
    [/boot/, 'boot'],
    [/sneaker|trainer/, 'sneaker'],
    [/flat|ballet|mule/, 'flat'],
    [/tote/, 'tote'],
    [/crossbody|mini/, 'crossbody'],
    [/bag/, 'shoulder-bag'],
    [/scarf/, 'scarf'],
    [/beanie|hat/, 'beanie'],
    [/belt/, 'belt'],
  ];
  if (/liner|quilted/.test(s)) return 'liner';
  for (const [re, g] of rules) if (re.test(s)) return g;
  const byCategory: Record<string, Garment> = {
    tops: 'tee',
    knitwear: 'crewneck',
    trousers: 'trousers',
    skirts: 'skirt',
    dresses: 'wrap-dress',
    outerwear: 'coat',
    shoes: 'loafer',
    bags: 'tote',
    accessories: 'scarf',
  };
  return byCategory[pr.category] ?? 'tee';
}

/** Colour of a colourless product's illustration. */
const COLOURLESS: Record<string, string> = { cable: '#ece3cf', sneaker: '#f7f5f0' };

type Part = 'top' | 'bottom' | 'dress' | 'outer' | 'shoe' | 'bag' | 'acc';
function partOf(g: Garment): Part {
  if (['trousers', 'jeans', 'chinos', 'skirt'].includes(g)) return 'bottom';
  if (g.endsWith('dress')) return 'dress';
  if (['coat', 'trench', 'blazer', 'field-jacket', 'liner'].includes(g)) return 'outer';
  if (['loafer', 'boot', 'sneaker', 'flat'].includes(g)) return 'shoe';
  if (['tote', 'shoulder-bag', 'crossbody'].includes(g)) return 'bag';
  if (['scarf', 'beanie', 'belt'].includes(g)) return 'acc';
  return 'top';
}

interface TopSpec {
  sleeve: 'none' | 'short' | 'long';
  neck: 'crew' | 'v' | 'scoop' | 'collar' | 'camp' | 'strap' | 'mock' | 'lapel' | 'wrap';
  hemY: number;
  sh: number; // half width at the shoulder
  bw: number; // half width at the armpit
  hw: number; // half width at the hem
  waist?: number; // half width at the waist (y = 520), for fitted shapes
  vDepth?: number;
  sleeveEnd?: number;
  rib?: boolean;
  buttons?: number[];
  buttons2?: boolean; // double-breasted
  placket?: boolean;
  pockets?: 'chest' | 'patch' | 'bellows' | 'welt' | 'flap';
  belt?: number;
  cables?: boolean;
  quilt?: boolean;
  split?: boolean;
  epaulettes?: boolean;
  hemCurve?: number;
  wrapLine?: boolean;
}

function top(c: string, s: TopSpec, ids: Ids): string {
  const dk = tone(c, 0.16);
  const deep = tone(c, 0.32);
  const st = ink(c);
  const nw = s.neck === 'lapel' || s.neck === 'wrap' ? 62 : 56;
  const ny = 205;
  const shY = 238;
  const armY = s.sleeve === 'none' ? 420 : 392;
  const out: string[] = [];
  const defs: string[] = [];

  // Sleeves, behind the body.
  if (s.sleeve === 'long') {
    const end = s.sleeveEnd ?? Math.min(s.hemY - 40, 730);
    const sl: P[] = [
      [400 - s.sh, shY],
      [400 - s.sh - 58, shY + 62],
      [400 - s.sh - 94, end - 8],
      [400 - s.sh - 14, end + 10],
      [400 - s.bw + 6, armY + 10],
    ];
    out.push(path(poly(sl), dk), path(poly(sl.map(mx)), dk));
    const cuff = (sign: 1 | -1) => {
      const a = sl[2]!;
      const b = sl[3]!;
      const f = (q: P): P => (sign === 1 ? q : mx(q));
      const up = 48;
      const q: P[] = [a, b, [b[0] + 6, b[1] - up], [a[0] + 7, a[1] - up]];
      return path(poly(q.map(f)), s.rib ? deep : tone(c, 0.24));
    };
    if (s.rib || s.neck === 'collar' || s.neck === 'lapel') out.push(cuff(1), cuff(-1));
  } else if (s.sleeve === 'short') {
    const sl: P[] = [
      [400 - s.sh, shY],
      [400 - s.sh - 58, shY + 55],
      [400 - s.sh - 95, shY + 165],
      [400 - s.sh - 22, shY + 198],
      [400 - s.bw + 4, armY],
    ];
    out.push(path(poly(sl), dk), path(poly(sl.map(mx)), dk));
  }

  // Body.
  const left: Seg[] = [];
  if (s.neck === 'strap') {
    const startStrap: P = [400 - s.bw + 18, 318];
    left.push({ to: [400 - s.bw, 372] });
    if (s.waist) left.push({ to: [400 - s.waist, 520], c: [400 - s.waist - 4, 440] });
    left.push({ to: [400 - s.hw, s.hemY], c: s.waist ? [400 - s.waist - 10, 700] : undefined });
    left.push({ to: [400, s.hemY + (s.hemCurve ?? 0)], c: [400 - s.hw / 2, s.hemY + (s.hemCurve ?? 0)] });
    const d = sym(startStrap, left, `Q${p([400 + s.bw - 50, 322])} 400,388Q${p([400 - s.bw + 50, 322])} ${p(startStrap)}Z`);
    out.push(path(d, c));
    // Straps hang from a slim hanger.
    out.push(line(`M${p([400 - s.bw + 30, 325])}L345,165M${p([400 + s.bw - 30, 325])}L455,165`, deep, 5));
    out.push(line('M400,150q0,-42 26,-42q22,0 22,20', '#8c7b68', 6), line('M262,172L400,150L538,172', '#a48e74', 10));
  } else {
    const start: P = [400 - nw, ny];
    left.push({ to: [400 - s.sh, shY], c: [400 - nw - 40, ny + 10] });
    if (s.sleeve === 'none') left.push({ to: [400 - s.bw, armY], c: [400 - s.sh + 10, armY - 80] });
    else left.push({ to: [400 - s.bw, armY] });
    if (s.waist) left.push({ to: [400 - s.waist, 540], c: [400 - s.waist - 4, 460] });
    left.push({ to: [400 - s.hw, s.hemY], c: s.waist ? [400 - s.waist - 6, 700] : undefined });
    const hc = s.hemCurve ?? 0;
    left.push({ to: [400, s.hemY + hc], c: hc ? [400 - s.hw / 2, s.hemY + hc] : undefined });
    const depth = s.vDepth ?? 160;
    const vNeck = s.neck === 'v' || s.neck === 'camp' || s.neck === 'lapel' || s.neck === 'wrap';
    let close: string;
    if (vNeck) close = `L400,${ny + depth}Z`;
    else if (s.neck === 'scoop') close = `Q400,${ny + 130} ${p(start)}Z`;
    else if (s.neck === 'collar') close = `Q400,${ny + 40} ${p(start)}Z`;
    else close = `Q400,${ny + 62} ${p(start)}Z`;
    const body = sym(start, left, close);
    // Inside of the back neck shows through the neckline.
    out.push(path(`M${p(start)}Q400,${ny - 22} ${p(mx(start))}L400,${vNeck ? ny + depth : ny + 40}Z`, vNeck ? tone(c, 0.22) : deep));
    out.push(path(body, c));
    if (s.quilt) {
      const id = ids.next('q');
      defs.push(
        `<pattern id="${id}" width="60" height="60" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><path d="M0 0H60M0 0V60" stroke="${st}" stroke-width="2" opacity=".45"/></pattern>`,
      );
      out.push(path(body, `url(#${id})`));
    }
    if (s.cables) {
      const cab = [320, 400, 480]
        .map((x) => {
          let d = `M${x - 14},${ny + 110}`;
          for (let y = ny + 110; y < s.hemY - 90; y += 44) d += `q28,22 0,44`;
          return d;
        })
        .join('');
      out.push(line(cab, st, 6, ' opacity=".55"'));
      out.push(line(`M360,${ny + 100}V${s.hemY - 70}M440,${ny + 100}V${s.hemY - 70}`, st, 3, ' opacity=".35"'));
    }
    if (s.rib) {
      const id = ids.next('r');
      defs.push(`<pattern id="${id}" width="14" height="14" patternUnits="userSpaceOnUse"><path d="M7 0V14" stroke="${deep}" stroke-width="4"/></pattern>`);
      out.push(path(`M${400 - s.hw},${s.hemY - 52}H${400 + s.hw}V${s.hemY}H${400 - s.hw}Z`, `url(#${id})`));
      if (s.neck === 'crew' || s.neck === 'mock') out.push(line(`M${p(start)}Q400,${ny + 62} ${p(mx(start))}`, deep, 16));
    }
    if (s.neck === 'mock') out.push(path(`M${400 - nw + 4},${ny + 8}L${400 - nw + 8},${ny - 44}Q400,${ny - 58} ${400 + nw - 8},${ny - 44}L${400 + nw - 4},${ny + 8}Q400,${ny + 30} ${400 - nw + 4},${ny + 8}Z`, tone(c, 0.08)));
    if (s.neck === 'collar') {
      const flap: P[] = [
        [400 - nw - 2, ny - 8],
        [400 - nw - 18, ny + 106],
        [400, ny + 66],
        [396, ny + 16],
      ];
      out.push(path(poly(flap), tone(c, 0.05), ` stroke="${st}" stroke-width="2"`), path(poly(flap.map(mx)), tone(c, 0.05), ` stroke="${st}" stroke-width="2"`));
    }
    if (s.neck === 'camp') {
      const flap: P[] = [
        [400 - nw, ny - 4],
        [400 - nw - 36, ny + 62],
        [400 - 40, ny + 96],
        [400, ny + depth],
      ];
      out.push(path(poly(flap), tone(c, 0.05), ` stroke="${st}" stroke-width="2"`), path(poly(flap.map(mx)), tone(c, 0.05), ` stroke="${st}" stroke-width="2"`));
    }
    if (s.neck === 'lapel') {
      const lap: P[] = [
        [400 - nw, ny - 2],
        [400 - nw - 30, ny + 96],
        [400 - nw - 10, ny + 112],
        [400 - nw - 64, ny + 150],
        [400 - 6, ny + depth],
      ];
      const lf = tone(c, 0.07);
      out.push(path(poly(lap), lf, ` stroke="${st}" stroke-width="2"`), path(poly(lap.map(mx)), lf, ` stroke="${st}" stroke-width="2"`));
    }
    if (s.wrapLine) out.push(line(`M${400 + nw},${ny}Q420,420 ${400 - (s.waist ?? 120)},540`, st, 3, ' opacity=".6"'));
  }

  // Fronts, buttons, pockets, belts.
  const placketTop = s.neck === 'lapel' || s.neck === 'v' || s.neck === 'camp' ? ny + (s.vDepth ?? 160) : ny + 44;
  if (s.placket) out.push(line(`M400,${placketTop}V${s.hemY + (s.hemCurve ?? 0) - 2}`, st, 2.5));
  if (s.buttons) {
    const bx = s.buttons2 ? [356, 444] : [400];
    for (const y of s.buttons) for (const x of bx) out.push(circle(x, y, s.buttons2 ? 9 : 7, st));
  }
  if (s.pockets === 'chest') out.push(path(`M${400 - 112},330h66v70q-33,12 -66,0Z`, 'none', ` stroke="${st}" stroke-width="2.5"`));
  if (s.pockets === 'patch') {
    const y = s.hemY - 250;
    for (const x of [400 - s.hw + 40, 400 + s.hw - 140]) out.push(path(`M${x},${y}h100v110q-50,10 -100,0Z`, 'none', ` stroke="${st}" stroke-width="2.5"`));
  }
  if (s.pockets === 'welt' || s.pockets === 'flap') {
    const y = s.hemY - 200;
    for (const x of [400 - s.hw + 40, 400 + s.hw - 140]) {
      out.push(s.pockets === 'flap' ? path(`M${x},${y}h100v34h-100Z`, tone(c, 0.07), ` stroke="${st}" stroke-width="2.5"`) : line(`M${x},${y + 10}l100,-14`, st, 4));
    }
    if (s.pockets === 'flap') out.push(line(`M${400 + 55},330h70`, st, 4));
  }
  if (s.pockets === 'bellows') {
    for (const [x, y, w, h] of [
      [400 - s.bw + 28, 320, 100, 100],
      [400 + s.bw - 128, 320, 100, 100],
      [400 - s.hw + 30, s.hemY - 220, 120, 130],
      [400 + s.hw - 150, s.hemY - 220, 120, 130],
    ] as const) {
      out.push(path(`M${x},${y}h${w}v${h}h-${w}Z`, tone(c, 0.06), ` stroke="${st}" stroke-width="2.5"`));
      out.push(path(`M${x - 4},${y - 8}h${w + 8}v38h-${w + 8}Z`, tone(c, 0.12), ` stroke="${st}" stroke-width="2.5"`));
    }
  }
  if (s.belt) {
    const y = s.belt;
    const half = s.waist ?? s.bw;
    out.push(path(`M${400 - half - 4},${y - 22}H${400 + half + 4}V${y + 22}H${400 - half - 4}Z`, tone(c, 0.1)));
    out.push(path(`M372,${y - 30}h56v60h-56Z`, 'none', ` stroke="${st}" stroke-width="5"`));
    out.push(path(`M428,${y - 10}l40,150l30,-6l-34,-148Z`, tone(c, 0.1)));
  }
  if (s.epaulettes) for (const x of [400 - s.sh + 10, 400 + s.sh - 110]) out.push(path(`M${x},${shY - 14}h100v26h-100Z`, tone(c, 0.1), ` stroke="${st}" stroke-width="2"`));
  if (s.split) out.push(line(`M${400 + s.hw - 40},${s.hemY}l-6,-120`, deep, 3));
  return (defs.length ? `<defs>${defs.join('')}</defs>` : '') + out.join('');
}

function bottom(c: string, kind: 'trousers' | 'jeans' | 'chinos' | 'skirt'): string {
  const st = ink(c);
  const deep = tone(c, 0.25);
  const out: string[] = [];
  if (kind === 'skirt') {
    const n0 = 9;
    for (let i = 0; i < n0; i++) {
      const t0 = i / n0;
      const t1 = (i + 1) / n0;
      const q: P[] = [
        [290 + 220 * t0, 250],
        [290 + 220 * t1, 250],
        [165 + 470 * t1, 845 + Math.sin(t1 * Math.PI) * 18],
        [165 + 470 * t0, 845 + Math.sin(t0 * Math.PI) * 18],
      ];
      out.push(path(poly(q), i % 2 ? tone(c, 0.1) : c));
    }
    out.push(path('M286,206h228v48h-228Z', tone(c, 0.06), ` stroke="${st}" stroke-width="2"`));
    return out.join('');
  }
  const ho = kind === 'jeans' ? 205 : kind === 'trousers' ? 195 : 150;
  const gi = kind === 'chinos' ? 22 : 12;
  const hem = kind === 'chinos' ? 860 : 900;
  const d = sym([270, 215], [
    { to: [248, 360], c: [250, 280] },
    { to: [400 - ho, hem] },
    { to: [400 - gi, hem] },
    { to: [400, 410] },
  ]);
  out.push(path(d, c));
  out.push(path('M266,190h268v44h-268Z', tone(c, 0.08)));
  out.push(line('M400,234V360', st, 3));
  out.push(line(`M400,410L${400 - gi + 4},${hem}M400,410L${400 + gi - 4},${hem}`, deep, 2, ' opacity=".6"'));
  if (kind === 'jeans') {
    const y = '#c9a14a';
    out.push(line('M270,250q60,10 70,-16M530,250q-60,10 -70,-16M400,234v80q0,30 -24,40', y, 3, ' stroke-dasharray="7 6"'));
    for (const x of [300, 400, 500]) out.push(path(`M${x - 5},186h10v52h-10Z`, tone(c, 0.15)));
    out.push(circle(400, 212, 7, y));
  } else {
    out.push(line('M272,240l40,100M528,240l-40,100', st, 3));
    for (const x of [300, 400, 500]) out.push(path(`M${x - 5},186h10v52h-10Z`, tone(c, 0.15)));
    if (kind === 'trousers') out.push(line(`M340,234q-4,120 -${ho - 150},${hem - 240}M460,234q4,120 ${ho - 150},${hem - 240}`, deep, 2.5, ' opacity=".7"'));
    if (kind === 'trousers') out.push(line('M362,234l2,70M438,234l-2,70', deep, 2.5));
    if (kind === 'chinos') out.push(path(`M${400 - ho},${hem - 42}H${400 - gi}V${hem}H${400 - ho}ZM${400 + gi},${hem - 42}H${400 + ho}V${hem}H${400 + gi}Z`, tone(c, 0.1)));
  }
  return out.join('');
}

/** A shoe in profile, toe to the right, sole on y = 0, about 450 wide. */
function shoe(c: string, kind: 'loafer' | 'boot' | 'sneaker' | 'flat'): string {
  const st = ink(c);
  const sole = kind === 'sneaker' ? '#e7e1d4' : lum(c) < 0.03 ? '#3a3532' : '#2d2521';
  const lining = tone(c, 0.3);
  const o: string[] = [];
  if (kind === 'boot') {
    o.push(line('M22,-266q0,-34 17,-34q17,0 15,34', tone(c, 0.3), 7));
    o.push(path('M6,-34C0,-120 6,-220 18,-270L168,-262C170,-200 178,-160 204,-138C270,-116 360,-100 420,-74C452,-60 466,-46 462,-30Z', c));
    o.push(path('M74,-268L124,-266L114,-150Q98,-124 84,-150Z', lum(c) < 0.03 ? '#4a4744' : tone(c, 0.38)));
    o.push(line('M204,-138C270,-116 360,-100 420,-74', st, 2, ' stroke-dasharray="6 5" opacity=".6"'));
    o.push(path('M0,-22H460Q472,-22 470,-10L468,0H0Z', sole), path('M0,-40H112V0H0Z', '#6e5440'), line('M0,-21H112', '#54402f', 2));
    return o.join('');
  }
  if (kind === 'sneaker') {
    o.push(path('M12,-44Q2,-134 52,-146L146,-146Q172,-146 192,-126L300,-98Q404,-82 446,-52L450,-44Z', c, ` stroke="${st}" stroke-width="3"`));
    o.push(path('M52,-146Q100,-156 150,-146Q110,-136 52,-146Z', lining));
    o.push(line('M196,-122l22,16M222,-116l22,16M248,-110l22,16M274,-104l22,16', st, 5));
    o.push(path('M0,-48H452Q470,-48 466,-24L460,0H4Z', sole, ` stroke="${st}" stroke-width="3"`), line('M8,-22H460', st, 2, ' opacity=".5"'));
    return o.join('');
  }
  if (kind === 'flat') {
    o.push(path('M30,-84Q150,-100 272,-58L262,-50Q150,-84 34,-74Z', lining));
    o.push(path('M12,-14Q4,-70 30,-84Q150,-62 262,-50Q310,-64 360,-66Q420,-66 452,-56Q466,-36 460,-14Z', c));
    o.push(path('M258,-52q-18,-16 -8,-22q10,4 18,14q8,-10 18,-14q10,6 -8,22Z', st));
    o.push(path('M4,-16H458Q466,-16 464,-6L462,0H4Z', sole), path('M4,-26H70V0H4Z', sole));
    return o.join('');
  }
  o.push(path('M36,-108Q130,-120 214,-98L206,-88Q130,-104 40,-98Z', lining));
  o.push(path('M10,-22C4,-70 16,-104 40,-110Q120,-96 210,-96C262,-112 340,-116 400,-88C440,-68 450,-42 444,-22Z', c));
  o.push(path('M204,-100q60,-18 104,-10l-6,34q-50,-8 -94,8Z', tone(c, 0.14)), path('M240,-92h36v12h-36Z', lining));
  o.push(line('M300,-108q70,4 108,34', st, 2.5, ' stroke-dasharray="6 5"'));
  o.push(path('M0,-26H448Q462,-26 458,-10L454,0H0Z', sole), path('M0,-34H96V0H0Z', sole));
  return o.join('');
}

const SHOE_SCALE = 1.16;
/** y of the front shoe's sole: the pair is centred on the backdrop disc. */
function shoeBase(kind: 'loafer' | 'boot' | 'sneaker' | 'flat'): number {
  const h = (kind === 'boot' ? 300 : kind === 'sneaker' ? 150 : kind === 'flat' ? 90 : 115) * SHOE_SCALE;
  const lift = kind === 'boot' ? 60 : 90;
  return 520 + (h + lift) / 2;
}

function shoePair(c: string, kind: 'loafer' | 'boot' | 'sneaker' | 'flat'): string {
  const base = shoeBase(kind);
  const lift = kind === 'boot' ? 60 : 90;
  const back = shoe(lum(c) < 0.03 ? mix(c, '#ffffff', 0.06) : tone(c, 0.12), kind);
  const k = SHOE_SCALE;
  return `<g transform="translate(200 ${n(base - lift)}) scale(${k})">${back}</g><g transform="translate(118 ${n(base)}) scale(${k})">${shoe(c, kind)}</g>`;
}

function bag(c: string, kind: 'tote' | 'shoulder-bag' | 'crossbody'): string {
  const st = ink(c);
  const leather = kind === 'tote' ? (lum(c) < 0.03 ? '#3a302a' : '#8a5a3b') : tone(c, 0.15);
  const o: string[] = [];
  if (kind === 'tote') {
    o.push(line('M318,440Q322,190 400,190Q478,190 482,440', tone(leather, 0.2), 26));
    o.push(path('M226,420H574L606,842Q606,862 586,862H214Q194,862 194,842Z', c, ` stroke="${st}" stroke-width="2"`));
    o.push(line('M300,440Q304,220 400,220Q496,220 500,440', leather, 26));
    o.push(path('M282,420h40v70h-40ZM478,420h40v70h-40Z', leather));
    o.push(line('M226,450H574', st, 2, ' stroke-dasharray="8 6"'));
    return o.join('');
  }
  if (kind === 'shoulder-bag') {
    o.push(line('M232,520Q236,230 400,226Q564,230 568,520', leather, 30));
    o.push(path('M186,500Q400,566 614,500Q612,812 400,846Q188,812 186,500Z', c));
    o.push(line('M240,560Q400,610 560,560', st, 3, ' opacity=".5"'));
    o.push(path('M214,480h36v60h-36ZM550,480h36v60h-36Z', tone(c, 0.25)));
    return o.join('');
  }
  o.push(line('M292,566C296,110 504,110 508,566', leather, 12));
  o.push(path('M270,552H530Q550,552 550,572V762Q550,782 530,782H270Q250,782 250,762V572Q250,552 270,552Z', c));
  o.push(path('M250,572Q250,552 270,552H530Q550,552 550,572V672Q400,720 250,672Z', tone(c, 0.1), ` stroke="${st}" stroke-width="2"`));
  o.push(path('M386,680h28v34h-28Z', '#c9a54a'));
  return o.join('');
}

function accessory(c: string, kind: 'scarf' | 'beanie' | 'belt', ids: Ids): string {
  const st = ink(c);
  const o: string[] = [];
  if (kind === 'scarf') {
    o.push(path('M414,232L536,222L560,786L440,796Z', tone(c, 0.12)));
    o.push(path('M276,210Q400,168 524,210L516,260Q400,222 284,260Z', tone(c, 0.2)));
    o.push(path('M282,240L410,226L418,834L290,842Z', c));
    o.push(line('M294,760L414,752M294,780L414,772', st, 4, ' opacity=".6"'), line('M452,720L554,712M452,740L556,732', st, 4, ' opacity=".5"'));
    let f = '';
    for (let x = 296; x <= 412; x += 12) f += `M${x},${842 - (x - 290) * 0.06}l-2,44`;
    let g = '';
    for (let x = 446; x <= 556; x += 12) g += `M${x},${796 - (x - 440) * 0.09}l2,40`;
    o.push(line(f, c, 4), line(g, tone(c, 0.12), 4));
    return o.join('');
  }
  if (kind === 'beanie') {
    const id = ids.next('b');
    const deep = tone(c, 0.22);
    o.push(`<defs><pattern id="${id}" width="22" height="22" patternUnits="userSpaceOnUse"><path d="M11 0V22" stroke="${deep}" stroke-width="6" opacity=".5"/></pattern></defs>`);
    const dome = 'M236,600Q230,300 400,292Q570,300 564,600Z';
    o.push(path(dome, c), path(dome, `url(#${id})`));
    const cuff = 'M222,560Q400,530 578,560L586,700Q400,676 214,700Z';
    o.push(path(cuff, tone(c, 0.08)), path(cuff, `url(#${id})`));
    o.push(line('M400,292v-14', deep, 8));
    return o.join('');
  }
  const brass = '#c9a54a';
  o.push(line('M260,320V690Q260,820 400,820Q540,820 540,690V360', c, 58));
  o.push(line('M260,320V690Q260,820 400,820Q540,820 540,690V360', st, 2, ' stroke-dasharray="8 7" opacity=".6"'));
  o.push(path('M231,320Q231,270 260,256Q289,270 289,320Z', c));
  for (const y of [350, 390, 430, 470]) o.push(circle(260, y, 6, tone(c, 0.5)));
  o.push(path('M500,290h80v84h-80Z', 'none', ` stroke="${brass}" stroke-width="12"`), line('M540,300v64', brass, 6));
  return o.join('');
}

/** The garment's SVG fragment in the 800×1000 frame. */
function drawGarment(g: Garment, c: string, ids: Ids): string {
  switch (g) {
    case 'camp-shirt':
      return top(c, { sleeve: 'short', neck: 'camp', hemY: 800, sh: 160, bw: 158, hw: 160, vDepth: 170, placket: true, buttons: [450, 540, 630, 720], pockets: 'chest' }, ids);
    case 'shirt':
      return top(c, { sleeve: 'long', neck: 'collar', hemY: 830, sh: 165, bw: 160, hw: 165, placket: true, buttons: [300, 400, 500, 600, 700, 790], hemCurve: 26, sleeveEnd: 760 }, ids);
    case 'tee':
      return top(c, { sleeve: 'short', neck: 'crew', hemY: 790, sh: 150, bw: 146, hw: 148 }, ids);
    case 'cami':
      return top(c, { sleeve: 'none', neck: 'strap', hemY: 760, sh: 120, bw: 122, hw: 150, hemCurve: 14 }, ids);
    case 'longsleeve':
      return top(c, { sleeve: 'long', neck: 'scoop', hemY: 780, sh: 128, bw: 122, hw: 126, waist: 114 }, ids);
    case 'crewneck':
      return top(c, { sleeve: 'long', neck: 'crew', hemY: 800, sh: 162, bw: 158, hw: 150, rib: true }, ids);
    case 'cardigan':
      return top(c, { sleeve: 'long', neck: 'v', hemY: 760, sh: 156, bw: 152, hw: 146, rib: true, vDepth: 250, placket: true, buttons: [490, 560, 630, 700] }, ids);
    case 'cable':
      return top(c, { sleeve: 'long', neck: 'crew', hemY: 780, sh: 172, bw: 168, hw: 160, rib: true, cables: true }, ids);
    case 'vest':
      return top(c, { sleeve: 'none', neck: 'v', hemY: 760, sh: 118, bw: 150, hw: 146, rib: true, vDepth: 200 }, ids);
    case 'slip-dress':
      return top(c, { sleeve: 'none', neck: 'strap', hemY: 900, sh: 120, bw: 118, hw: 215, waist: 108, hemCurve: 20 }, ids);
    case 'knit-dress':
      return top(c, { sleeve: 'long', neck: 'mock', hemY: 920, sh: 140, bw: 132, hw: 150, waist: 112, rib: true, split: true }, ids);
    case 'shirt-dress':
      return top(c, { sleeve: 'long', neck: 'collar', hemY: 920, sh: 152, bw: 146, hw: 205, waist: 128, placket: true, buttons: [300, 380, 460, 620, 700, 780], belt: 540, pockets: 'patch', sleeveEnd: 700 }, ids);
    case 'wrap-dress':
      return top(c, { sleeve: 'long', neck: 'wrap', hemY: 910, sh: 140, bw: 134, hw: 220, waist: 112, vDepth: 250, belt: 540, wrapLine: true, hemCurve: 24 }, ids);
    case 'coat':
      return top(c, { sleeve: 'long', neck: 'lapel', hemY: 930, sh: 172, bw: 168, hw: 186, vDepth: 290, buttons: [500, 600, 700], pockets: 'patch', sleeveEnd: 760 }, ids);
    case 'trench':
      return top(c, { sleeve: 'long', neck: 'lapel', hemY: 930, sh: 172, bw: 166, hw: 200, waist: 160, vDepth: 260, buttons: [470, 620], buttons2: true, belt: 548, epaulettes: true, sleeveEnd: 760 }, ids);
    case 'blazer':
      return top(c, { sleeve: 'long', neck: 'lapel', hemY: 790, sh: 168, bw: 162, hw: 166, vDepth: 330, buttons: [560], pockets: 'flap', sleeveEnd: 740 }, ids);
    case 'field-jacket':
      return top(c, { sleeve: 'long', neck: 'collar', hemY: 740, sh: 172, bw: 168, hw: 168, placket: true, buttons: [300, 400, 500, 600], pockets: 'bellows', sleeveEnd: 730 }, ids);
    case 'liner':
      return top(c, { sleeve: 'long', neck: 'v', hemY: 740, sh: 160, bw: 156, hw: 156, vDepth: 70, placket: true, buttons: [330, 430, 530, 630], quilt: true, pockets: 'welt', sleeveEnd: 720 }, ids);
    case 'trousers':
    case 'jeans':
    case 'chinos':
    case 'skirt':
      return bottom(c, g);
    case 'loafer':
    case 'boot':
    case 'sneaker':
    case 'flat':
      return shoePair(c, g);
    case 'tote':
    case 'shoulder-bag':
    case 'crossbody':
      return bag(c, g);
    case 'scarf':
    case 'beanie':
    case 'belt':
      return accessory(c, g, ids);
  }
}

/** Light garments get a hairline outline so they read on paper. */
function outlined(fragment: string, c: string): string {
  return lum(c) > 0.45 ? `<g stroke="${mix(c, '#000000', 0.22)}" stroke-width="2">${fragment}</g>` : fragment;
}

/** Lowest painted y of each garment, for the ground shadow. */
function groundOf(g: Garment): number {
  const part = partOf(g);
  if (part === 'shoe') return shoeBase(g as 'loafer');
  if (g === 'tote' || g === 'shoulder-bag') return 862;
  if (g === 'crossbody') return 782;
  if (g === 'beanie') return 700;
  if (g === 'belt') return 850;
  return 0;
}

// ── Documents ──────────────────────────────────────────────────────────────────────────────────

const svgDoc = (w: number, h: number, body: string, label: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${label.replace(/[&<>"]/g, '')}">${body}</svg>\n`;

function backdrop(c: string): string {
  const l = lum(c);
  const disc = l > 0.7 ? '#e4dccf' : mix(c, PAPER, 0.84);
  return `<rect width="800" height="1000" fill="${PAPER}"/><circle cx="400" cy="520" r="340" fill="${disc}"/>`;
}

function productSvg(pr: ProductSeed, colour: string | undefined, hex: string): string {
  const g = garmentOf(pr);
  const ids = new Ids();
  const ground = groundOf(g);
  const shadow = ground ? `<ellipse cx="400" cy="${ground + 8}" rx="250" ry="16" fill="#000" opacity=".07"/>` : '';
  return svgDoc(800, 1000, backdrop(hex) + shadow + outlined(drawGarment(g, hex, ids), hex), `${pr.name}${colour ? `, ${colour}` : ''}`);
}

function placeholderSvg(): string {
  return svgDoc(
    800,
    1000,
    `<rect width="800" height="1000" fill="${PAPER}"/><circle cx="400" cy="520" r="340" fill="#e7e0d4"/>` +
      line('M400,300q0,-48 36,-48q34,0 34,32q0,26 -34,44l-36,20M400,348L170,470Q150,482 170,494H630Q650,482 630,470L400,348Z', '#b5aa99', 12),
    'No image',
  );
}

// Posts ────────────────────────────────────────────────────────────────────────────────────────

interface PostInfo {
  slug: string;
  kind: string;
  /** Products shown, first-appearance order, with the colour of a preselected variant when there is one. */
  items: { product: ProductSeed; hex: string }[];
}

function readPosts(): PostInfo[] {
  if (!existsSync(POSTS_DIR)) return [];
  return readdirSync(POSTS_DIR)
    .filter((f) => f.endsWith('.mdx') || f.endsWith('.md'))
    .sort()
    .map((f) => {
      const src = readFileSync(join(POSTS_DIR, f), 'utf8');
      const kind = /^kind:\s*["']?(\w+)/m.exec(src)?.[1] ?? 'guide';
      const body = src.replace(/^---[\s\S]*?\n---/, '').replace(/^(```|~~~)[\s\S]*?^\1/gm, '');
      const seen = new Map<string, string | undefined>();
      for (const m of body.matchAll(/<(ProductCard|ShopTheLook)\b([^>]*?)\/?>/gs)) {
        const attrs = m[2] ?? '';
        if (m[1] === 'ProductCard') {
          const slug = /\bproduct\s*=\s*["']([^"']+)["']/.exec(attrs)?.[1];
          const sku = /\bvariant\s*=\s*["']([^"']+)["']/.exec(attrs)?.[1];
          if (slug && !seen.has(slug)) seen.set(slug, sku);
        } else {
          const list = /\bproducts\s*=\s*\{\s*\[([^\]]*)\]/s.exec(attrs)?.[1] ?? '';
          for (const s of list.matchAll(/["']([^"']+)["']/g)) if (!seen.has(s[1]!)) seen.set(s[1]!, undefined);
        }
      }
      const items: PostInfo['items'] = [];
      for (const [slug, sku] of seen) {
        const product = PRODUCTS.find((x) => x.slug === slug);
        if (!product) continue;
        const v = product.variants.find((x) => x.sku === sku) ?? product.variants[0];
        items.push({ product, hex: v?.colourHex ?? COLOURLESS[garmentOf(product)] ?? '#b8b2a7' });
      }
      return { slug: f.replace(/\.mdx?$/, ''), kind, items };
    });
}

/** Art direction per post (background, accent); anything not listed gets a palette from its slug. */
const HERO_ART: Record<string, { bg: string; accent: string }> = {
  'autumn-capsule-wardrobe': { bg: '#efe6d6', accent: '#d9c6a4' },
  'saturday-uniform-poplin-and-denim': { bg: '#f1ede4', accent: '#c6d4e0' },
  'petite-guide-to-wide-leg-trousers': { bg: '#ebe4da', accent: '#cdbfa9' },
  'cashmere-cardigan-review': { bg: '#f2ecdf', accent: '#c8744f' },
  'how-to-layer-knitwear': { bg: '#c9d0bd', accent: '#e6e1d1' },
  'suede-chelsea-boots-review': { bg: '#d69b4a', accent: '#e9c27d' },
  'office-to-dinner-tailoring': { bg: '#ecd6cf', accent: '#f5e8e2' },
  'slip-dress-after-dark': { bg: '#4b3141', accent: '#6b4a5c' },
  'double-faced-wool-coat-review': { bg: '#aebac4', accent: '#e9e6dd' },
  'caring-for-wool-and-cashmere': { bg: '#ece6db', accent: '#d8cdb9' },
  'first-frost-layers': { bg: '#d7e1e6', accent: '#f2f4f2' },
};
const PALETTES = [
  { bg: '#e9dfd0', accent: '#c9a27a' },
  { bg: '#d6ddd0', accent: '#a7b596' },
  { bg: '#eed8cf', accent: '#d49a85' },
  { bg: '#d8e0e6', accent: '#9fb2c2' },
  { bg: '#efe4c9', accent: '#d6b25e' },
];

/** Places a garment (800×1000 frame) with its centre at (cx, cy), scaled. */
function place(g: Garment, c: string, cx: number, cy: number, scale: number, ids: Ids, rotate = 0): string {
  const rot = rotate ? ` rotate(${rotate} 400 520)` : '';
  return `<g transform="translate(${n(cx - 400 * scale)} ${n(cy - 520 * scale)}) scale(${scale})${rot}">${outlined(drawGarment(g, c, ids), c)}</g>`;
}

function heroSvg(post: PostInfo): string {
  const art = HERO_ART[post.slug] ?? PALETTES[hash(post.slug) % PALETTES.length]!;
  const ids = new Ids();
  const items = post.items.map((i) => ({ g: garmentOf(i.product), hex: i.hex }));
  const by = (part: Part) => items.filter((i) => partOf(i.g) === part);
  const o: string[] = [`<rect width="1200" height="1500" fill="${art.bg}"/>`];

  if (items.length === 0) {
    // A still life: folded knits, a skein of yarn.
    o.push(`<rect x="0" y="980" width="1200" height="520" fill="${art.accent}"/>`);
    const knits = ['#e6dccb', '#3b3b3f', '#2f4a3a', '#c19a6b', '#f1ead9'];
    knits.forEach((k, i) => {
      const y = 960 - i * 118;
      const w = 560 - (i % 2) * 30;
      const x = 250 + (i % 2) * 24;
      o.push(`<rect x="${x}" y="${y}" width="${w}" height="112" rx="28" fill="${k}"/>`);
      o.push(`<rect x="${x}" y="${y + 74}" width="${w}" height="38" rx="14" fill="${tone(k, 0.14)}"/>`);
      o.push(line(`M${x + 40},${y + 34}h${w - 80}`, ink(k), 3, ' opacity=".35"'));
    });
    o.push(circle(930, 1010, 118, '#c8744f'), line('M840,940q90,60 186,10M828,1000q100,60 214,0M840,1062q90,50 190,-4M880,900q60,120 20,222', tone('#c8744f', 0.25), 5));
    o.push(`<rect x="160" y="1180" width="300" height="40" rx="16" fill="#8a6a4a"/>`);
    let teeth = '';
    for (let x = 180; x < 450; x += 14) teeth += `M${x},1180v-46`;
    o.push(line(teeth, '#8a6a4a', 6));
    return svgDoc(1200, 1500, o.join(''), post.slug);
  }

  if (post.kind === 'review') {
    const main = items[0]!;
    o.push(circle(620, 640, 470, art.accent));
    const part = partOf(main.g);
    const s = part === 'shoe' ? 1.18 : part === 'bag' || part === 'acc' ? 1.05 : 1.1;
    o.push(place(main.g, main.hex, 600, part === 'shoe' ? 720 : 760, s, ids));
    const second = items.find((i, k) => k > 0 && i.g !== main.g);
    if (second) {
      o.push(`<rect x="760" y="1110" width="360" height="330" fill="${mix(art.bg, '#ffffff', 0.35)}"/>`);
      o.push(place(second.g, second.hex, 940, 1290, 0.3, ids));
    }
    return svgDoc(1200, 1500, o.join(''), post.slug);
  }

  if (post.kind === 'look') {
    // An outfit collage: an arch of colour, the outfit stacked, the accessories around it.
    o.push(`<path d="M170,1500V560A430,430 0 0 1 1030,560V1500Z" fill="${art.accent}"/>`);
    const dress = by('dress')[0];
    const outer = by('outer')[0];
    const topI = by('top')[0];
    const bottomI = by('bottom')[0];
    const shoeI = by('shoe')[0];
    const bagI = by('bag')[0] ?? by('acc')[0];
    const at = (i?: (typeof items)[number]) => (i ? items.indexOf(i) : Infinity);
    const useDress = dress && at(dress) < at(bottomI);
    const main = useDress ? dress : (topI ?? outer);
    // The layer worn over or beside the main piece: a knit over a dress, a jacket over a top.
    const second = [useDress ? topI : undefined, outer].filter((i) => i && i !== main).sort((a, b) => at(a) - at(b))[0];
    if (second) o.push(place(second.g, second.hex, 940, 500, 0.52, ids, 6));
    if (useDress) o.push(place(dress.g, dress.hex, 560, 720, 0.92, ids));
    else {
      if (bottomI) o.push(place(bottomI.g, bottomI.hex, 580, 1000, 0.8, ids));
      if (main) o.push(place(main.g, main.hex, 560, 470, 0.76, ids));
    }
    if (shoeI) o.push(place(shoeI.g, shoeI.hex, 930, 1300, 0.52, ids));
    if (bagI) o.push(place(bagI.g, bagI.hex, 250, 1220, 0.5, ids, -6));
    return svgDoc(1200, 1500, o.join(''), post.slug);
  }

  // Guide: a flat lay on colour blocks.
  const blocks = ['#ffffff', art.accent];
  o.push(`<rect x="60" y="60" width="520" height="660" fill="${mix(art.bg, blocks[0]!, 0.45)}"/>`);
  o.push(`<rect x="620" y="60" width="520" height="660" fill="${art.accent}"/>`);
  o.push(`<rect x="60" y="780" width="520" height="660" fill="${art.accent}"/>`);
  o.push(`<rect x="620" y="780" width="520" height="660" fill="${mix(art.bg, blocks[0]!, 0.45)}"/>`);
  const order: Part[] = ['top', 'outer', 'bottom', 'shoe', 'dress', 'bag', 'acc'];
  const picked: typeof items = [];
  for (const part of order) {
    const i = items.find((x) => partOf(x.g) === part);
    if (i && picked.length < 4) picked.push(i);
  }
  for (const i of items) if (picked.length < 4 && !picked.includes(i) && !picked.some((x) => x.g === i.g)) picked.push(i);
  picked.sort((a, b) => order.indexOf(partOf(a.g)) - order.indexOf(partOf(b.g)));
  const cells: [number, number][] = [
    [320, 390],
    [880, 390],
    [320, 1110],
    [880, 1110],
  ];
  picked.forEach((i, k) => {
      const [cx, cy] = cells[k]!;
      const part = partOf(i.g);
      const s = part === 'shoe' ? 0.62 : part === 'bag' || part === 'acc' ? 0.56 : 0.6;
      o.push(place(i.g, i.hex, cx, cy + (part === 'shoe' ? 30 : 0), s, ids));
    });
  return svgDoc(1200, 1500, o.join(''), post.slug);
}

// Creators ─────────────────────────────────────────────────────────────────────────────────────

type Hair = 'curls' | 'bob' | 'crop' | 'beanie' | 'bun';
const AVATAR_ART: Record<string, { bg: string; skin: string; hair: string; style: Hair; top: string }> = {
  'maya-okafor': { bg: '#c8775a', skin: '#6b4330', hair: '#1f1814', style: 'curls', top: '#e6dccb' },
  'jules-laurent': { bg: '#a9b59a', skin: '#ecc8ad', hair: '#8a4b2a', style: 'crop', top: '#3b3b3f' },
  'priya-shah': { bg: '#e3b85c', skin: '#a8704c', hair: '#1c1512', style: 'bob', top: '#234236' },
  'sam-reyes': { bg: '#8fa3b8', skin: '#c48e66', hair: '#3a2a20', style: 'beanie', top: '#6b6b3a' },
};
const AVATAR_FALLBACK = {
  bg: ['#c8775a', '#a9b59a', '#e3b85c', '#8fa3b8', '#d9a7a0'],
  skin: ['#6b4330', '#ecc8ad', '#a8704c', '#c48e66', '#8d5a3c'],
  hair: ['#1f1814', '#8a4b2a', '#3a2a20', '#2b2220'],
  style: ['curls', 'bob', 'crop', 'bun'] as Hair[],
  top: ['#e6dccb', '#3b3b3f', '#234236', '#6b6b3a', '#c19a6b'],
};

function avatarSvg(handle: string, name: string): string {
  const h = hash(handle);
  const pick = <T,>(xs: T[], k: number) => xs[(h >>> k) % xs.length]!;
  const a = AVATAR_ART[handle] ?? {
    bg: pick(AVATAR_FALLBACK.bg, 0),
    skin: pick(AVATAR_FALLBACK.skin, 3),
    hair: pick(AVATAR_FALLBACK.hair, 6),
    style: pick(AVATAR_FALLBACK.style, 9),
    top: pick(AVATAR_FALLBACK.top, 12),
  };
  const o: string[] = [`<rect width="400" height="400" fill="${a.bg}"/>`, circle(320, 86, 46, mix(a.bg, '#ffffff', 0.25))];
  const back: string[] = [];
  const front: string[] = [];
  if (a.style === 'curls') {
    for (const [x, y, r] of [
      [200, 96, 70],
      [140, 122, 50],
      [260, 122, 50],
      [124, 176, 42],
      [276, 176, 42],
      [168, 82, 44],
      [232, 82, 44],
    ] as const)
      back.push(circle(x, y, r, a.hair));
  } else if (a.style === 'bob') {
    back.push(path('M120,250Q106,90 200,82Q294,90 280,250Q254,262 232,250L232,170H168V250Q146,262 120,250Z', a.hair));
  } else if (a.style === 'bun') {
    back.push(circle(200, 66, 36, a.hair));
  }
  o.push(...back);
  o.push(path('M172,230h56v64h-56Z', tone(a.skin, 0.12)));
  o.push(`<ellipse cx="200" cy="176" rx="62" ry="76" fill="${a.skin}"/>`);
  if (a.style === 'bob') front.push(path('M138,170Q140,100 200,98Q262,100 264,170Q234,128 200,130Q150,132 138,170Z', a.hair));
  if (a.style === 'crop') front.push(path('M136,168Q128,92 204,92Q276,96 266,164Q250,126 214,122Q170,134 136,168Z', a.hair));
  if (a.style === 'bun') front.push(path('M138,160Q146,104 200,102Q254,104 262,160Q230,124 200,126Q168,124 138,160Z', a.hair));
  if (a.style === 'beanie') {
    front.push(path('M132,160Q130,84 200,80Q270,84 268,160Z', '#2f4a3a'), path('M126,140Q200,124 274,140L276,172Q200,156 124,172Z', tone('#2f4a3a', 0.2)));
  }
  if (a.style === 'curls') front.push(path('M144,150Q160,110 200,112Q240,110 256,150Q230,132 200,136Q170,132 144,150Z', a.hair));
  o.push(...front);
  o.push(path('M40,400Q44,300 132,286Q170,278 200,300Q230,278 268,286Q356,300 360,400Z', a.top));
  o.push(path('M170,282Q200,322 230,282L220,278Q200,300 180,278Z', tone(a.top, 0.2)));
  o.push(circle(140, 200, 6, '#d8b25a'));
  return svgDoc(400, 400, o.join(''), name);
}

// ── Main ───────────────────────────────────────────────────────────────────────────────────────

const written = new Map<string, Set<string>>();
function write(dir: string, file: string, svg: string) {
  const full = join(OUT, dir);
  mkdirSync(full, { recursive: true });
  const bytes = Buffer.byteLength(svg);
  if (bytes > MAX_BYTES) console.warn(`warning: ${dir}/${file} is ${bytes} bytes (budget ${MAX_BYTES})`);
  if (/\b(href|src)=["'](https?:)?\/\//.test(svg)) throw new Error(`${dir}/${file}: external reference`);
  writeFileSync(join(full, file), svg);
  if (!written.has(dir)) written.set(dir, new Set());
  written.get(dir)!.add(file);
}

const fileOf = (sitePath: string) => {
  const m = /^\/images\/products\/([^/]+\.svg)$/.exec(sitePath);
  if (!m) throw new Error(`unexpected product image path ${sitePath}`);
  return m[1]!;
};

for (const pr of PRODUCTS) {
  const colours = new Map<string, { colour?: string; hex: string }>();
  for (const v of pr.variants) {
    if (v.image && !colours.has(v.image)) colours.set(v.image, { colour: v.colour, hex: v.colourHex ?? COLOURLESS[garmentOf(pr)] ?? '#b8b2a7' });
  }
  if (!colours.has(pr.image)) {
    const first = pr.variants.find((v) => v.colourHex);
    colours.set(pr.image, { colour: first?.colour, hex: first?.colourHex ?? COLOURLESS[garmentOf(pr)] ?? '#b8b2a7' });
  }
  for (const [image, { colour, hex }] of colours) {
    if (image.endsWith('/placeholder.svg')) continue;
    write('products', fileOf(image), productSvg(pr, colour, hex));
  }
}
write('products', 'placeholder.svg', placeholderSvg());

const posts = readPosts();
for (const post of posts) write('posts', `${post.slug}.svg`, heroSvg(post));

const creatorNames = new Map<string, string>();
for (const c of CREATORS) creatorNames.set(c.handle, c.displayName);
const creatorsDir = join(ROOT, 'src/content/creators');
if (existsSync(creatorsDir)) {
  for (const f of readdirSync(creatorsDir).filter((f) => f.endsWith('.json'))) {
    const j = JSON.parse(readFileSync(join(creatorsDir, f), 'utf8')) as { handle: string; name: string };
    creatorNames.set(j.handle, j.name);
  }
}
for (const [handle, name] of [...creatorNames].sort()) write('creators', `${handle}.svg`, avatarSvg(handle, name));

// Remove illustrations that no longer belong to anything.
let removed = 0;
for (const dir of ['products', 'posts', 'creators']) {
  const full = join(OUT, dir);
  if (!existsSync(full)) continue;
  for (const f of readdirSync(full)) {
    if (f.endsWith('.svg') && !written.get(dir)?.has(f)) {
      rmSync(join(full, f));
      removed++;
    }
  }
}

const counts = [...written].map(([d, s]) => `${s.size} ${d}`).join(', ');
console.log(`wrote ${counts} to public/images${removed ? `, removed ${removed} stale` : ''}`);
