/**
 * The studio's MDX compiler (docs/decisions/0039-mdx-allow-list.md): the allow-list refuses every
 * hostile form with a line and a plain message, good posts become plain data with sanitised HTML,
 * and card ids survive edits, reorders and copy-paste.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileStudioMdx, STUDIO_MDX_LIMITS, type CompileOptions, type CompileResult, type MediaInfo, type StudioBlock } from '../../../src/server/content/index.ts';

const UPLOAD: MediaInfo = { id: 'coat0001ab', width: 1600, height: 2000, widths: [480, 960, 1440] };
const media = (id: string) => (id === UPLOAD.id ? UPLOAD : undefined);
const opts = (o: Partial<CompileOptions> = {}): CompileOptions => ({ nextCard: 0, media, ...o });

function ok(source: string, o?: Partial<CompileOptions>) {
  const r = compileStudioMdx(source, opts(o));
  if (!r.ok) throw new Error(`expected ok, got: ${r.problems.map((p) => p.message).join(' | ')}`);
  return r;
}
function problems(source: string, o?: Partial<CompileOptions>) {
  const r = compileStudioMdx(source, opts(o));
  if (r.ok) throw new Error(`expected problems, got a doc: ${JSON.stringify(r.doc)}`);
  for (const p of r.problems) {
    expect(p.line).toBeGreaterThanOrEqual(1);
    expect(p.column).toBeGreaterThanOrEqual(1);
    expect(p.message).toMatch(/^Line \d+/);
  }
  return r.problems;
}
const messages = (source: string, o?: Partial<CompileOptions>) => problems(source, o).map((p) => p.message);
const html = (blocks: StudioBlock[]) => blocks.map((b) => (b.type === 'html' ? b.html : '')).join('\n');
/** What a later save passes: every id the post has handed out so far. */
const after = (r: Extract<CompileResult, { ok: true }>): Partial<CompileOptions> => ({
  nextCard: r.nextCard,
  knownCards: new Set(Array.from({ length: r.nextCard }, (_, i) => i)),
});

describe('hostile input is refused, with where and what', () => {
  it('import and export (code that would run on the server)', () => {
    const [imp, exp] = problems('import fs from "node:fs"\n\nexport const x = fs.readFileSync("/etc/passwd")\n');
    expect(imp).toMatchObject({ line: 1, column: 1 });
    expect(imp!.message).toBe('Line 1: `import` is not allowed in a post — posts can use only the shop blocks from the toolbar (ProductCard, ShopTheLook and Callout).');
    expect(exp).toMatchObject({ line: 3 });
    expect(exp!.message).toMatch(/^Line 3: `export` is not allowed in a post/);
  });
  it.each([
    ['{process.exit()}', 1],
    ['Some text {process.exit()} more', 1],
    ['{/* a comment */}', 1],
    ['Intro\n\na {1 + 1} b', 3],
  ])('{expressions}: %s', (source, line) => {
    const [p, ...rest] = problems(source);
    expect(rest).toEqual([]);
    expect(p!.line).toBe(line);
    expect(p!.message).toContain('`{…}` expressions are not allowed');
    expect(p!.message).toContain('write \\{');
  });
  it.each([
    ['<script>alert(1)</script>', '<script>'],
    ['<iframe src="https://evil.example"></iframe>', '<iframe>'],
    ['<img src="x" onError={alert(1)} />', '<img>'],
    ['<div>\n\nhello\n\n</div>', '<div>'],
  ])('raw HTML: %s', (source, tag) => {
    expect(messages(source)).toEqual([expect.stringContaining(`raw HTML like ${tag} is not allowed in a post`)]);
  });
  it('an unquoted HTML attribute is a parse error at its place, in plain words plus the parser’s reason', () => {
    const [p, ...rest] = problems('Intro\n\n<img src=x onError=alert(1) />');
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ line: 3, column: 10 });
    expect(p!.message).toMatch(/^Line 3, column 10: a “<” here starts a tag that cannot be read — to show a “<” sign write \\<\. \(The parser says: /);
  });
  it('an unfinished tag is one problem with its line and column', () => {
    const all = problems('## Hi\n\nText\n\n<ProductCard product="tee"\n\nmore');
    expect(all).toHaveLength(1);
    expect(all[0]!.message).toMatch(/^Line \d+, column \d+: this looks like an unfinished tag/);
  });
  it('event handlers on a known component', () => {
    expect(messages('<ProductCard product="tee" onClick={() => fetch("/x")} />')).toEqual([
      'Line 1: event handlers are not allowed in a post (onClick on <ProductCard>).',
    ]);
  });
  it('spread props, and no extra "missing product" for what the spread hid', () => {
    expect(messages('<ProductCard {...props} />')).toEqual([expect.stringContaining('{...props} are not allowed')]);
  });
  it('a call as a prop value', () => {
    expect(messages('<ProductCard product={fn()} />')).toEqual(['Line 1: write product in quotes: product="…" (no {…}).']);
  });
  it.each(['product={`tee`}', 'product={tee}', 'product={{a: 1}}', 'product={"tee"}'])('identifiers, templates, objects, even a quoted string in braces: %s', (attr) => {
    expect(messages(`<ProductCard ${attr} />`)).toEqual([expect.stringContaining('write product in quotes')]);
  });
  it.each(['style="color:red"', 'className="x"', 'dangerouslySetInnerHTML={{__html: "<b>"}}'])('unknown props: %s', (attr) => {
    expect(messages(`<ProductCard product="tee" ${attr} />`)).toEqual([expect.stringMatching(/^Line 1: <ProductCard> has no prop “\w+” — it takes product, variant\.$/)]);
  });
  it('products must be a literal list of names', () => {
    expect(messages('<ShopTheLook products={list} />')).toEqual([expect.stringContaining('write the products as products={["first-product"')]);
    expect(messages('<ShopTheLook products={["a", b]} />')).toEqual([expect.stringContaining('write the products as')]);
    expect(messages('<ShopTheLook products={[..."ab"]} />')).toEqual([expect.stringContaining('write the products as')]);
    expect(messages('<ShopTheLook products="a b" />')).toEqual([expect.stringContaining('write the products as')]);
  });
  it('card ids are the studio’s: a non-literal id is refused', () => {
    expect(messages('<ProductCard product="tee" card={-1} />')).toEqual([expect.stringContaining('“card” is set by the studio')]);
    expect(messages('<ProductCard product="tee" card={n} />')).toEqual([expect.stringContaining('“card” is set by the studio')]);
  });
  it.each([
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](java&#x09;script:alert(1))',
    '[x](&#106;avascript:alert(1))',
    '[x](<java\tscript:alert(1)>)',
    '[x]( javascript:alert(1))',
    '[x](vbscript:msgbox(1))',
    '[x](data:text/html,<script>alert(1)</script>)',
    '[x](//evil.example)',
    '[x](/\\evil.example)',
    '[x](ftp://files.example)',
    '[x](relative/page)',
    '[x][r]\n\n[r]: javascript:alert(1)',
  ])('links: %s', (source) => {
    expect(messages(source)).toEqual([expect.stringContaining('is not allowed — links must start with https://, http://, mailto:, /')]);
  });
  it.each(['![x](javascript:alert(1))', '![x](https://tracker.example/p.gif)', '![x](/images/../../etc/passwd)', '![x](//evil.example/a.png)', '![x](/media/short)', '![x](data:image/png;base64,AAAA)'])(
    'images that are not uploads: %s',
    (source) => {
      expect(messages(source)).toEqual(['Line 1: this image is not one of your uploads — upload it with the image button.']);
    },
  );
  it('an upload that is not the author’s (media says no)', () => {
    expect(messages('Text\n\n![a coat](/media/someoneelse1)')).toEqual(['Line 3: this image is not one of your uploads — upload it with the image button.']);
  });
  it('a Callout holds text only: no script, no shop block, no Callout inside', () => {
    const found = problems('<Callout title="Fit">\n\nRuns small.\n\n<script>alert(1)</script>\n\n<ProductCard product="tee" />\n\n<Callout>x</Callout>\n</Callout>');
    expect(found.map((p) => p.line)).toEqual([5, 7, 9]);
    expect(found[0]!.message).toContain('raw HTML like <script>');
    expect(found[1]!.message).toBe('Line 7: a Callout holds text only — move <ProductCard> out of it, before or after.');
    expect(found[2]!.message).toContain('move <Callout> out of it');
  });
  it('unknown components and fragments', () => {
    expect(messages('<Foo bar="1" />')).toEqual([expect.stringContaining('<Foo> is not a block posts can use')]);
    expect(messages('<Product.Card />')).toEqual([expect.stringContaining('<Product.Card> is not a block')]);
    expect(messages('<>x</>')).toEqual([expect.stringContaining('`<>…</>` is not allowed')]);
  });
  it('a block inside a paragraph, a list or a quote', () => {
    expect(messages('Buy <ProductCard product="tee" /> now')).toEqual([expect.stringContaining('put <ProductCard> on a line of its own')]);
    expect(messages('- <ProductCard product="tee" />')).toEqual([expect.stringContaining('at the top level of the post, not inside a list or quote')]);
    expect(messages('> <ShopTheLook products={["a"]} />')).toEqual([expect.stringContaining('not inside a list or quote')]);
  });
  it('an h1, and headings deeper than ####', () => {
    expect(messages('# My post')).toEqual(["Line 1: the title is the post's only top-level heading — use a smaller heading (## or ###)."]);
    expect(messages('Intro\n\n##### Small')).toEqual([expect.stringMatching(/^Line 3: headings go down to ####/)]);
  });
  it('missing alt text, only when publishing', () => {
    const source = '![](/media/coat0001ab)\n\n![   ](/images/a.png)';
    expect(compileStudioMdx(source, opts()).ok).toBe(true);
    expect(problems(source, { requireAlt: true }).map((p) => [p.line, p.message])).toEqual([
      [1, 'Line 1: describe this image for people who cannot see it (alt text) before publishing.'],
      [3, 'Line 3: describe this image for people who cannot see it (alt text) before publishing.'],
    ]);
  });
  it('too long', () => {
    expect(messages('a'.repeat(STUDIO_MDX_LIMITS.maxChars + 1))).toEqual([expect.stringMatching(/^Line 1: this post is too long — 100,001 characters/)]);
    expect(compileStudioMdx('a'.repeat(STUDIO_MDX_LIMITS.maxChars), opts()).ok).toBe(true);
  });
  it('too many shop blocks, too many products in a look, missing props, bad names, long titles', () => {
    const cards = Array.from({ length: 61 }, () => '<ProductCard product="tee" />').join('\n\n');
    expect(messages(cards)).toEqual(['Line 121: a post can have at most 60 shop blocks — this is one more.']);
    const nine = JSON.stringify(Array.from({ length: 9 }, (_, i) => `p${i}`));
    expect(messages(`<ShopTheLook products={${nine}} />`)).toEqual(['Line 1: a ShopTheLook shows at most 8 products — this one has 9.']);
    expect(messages('<ShopTheLook products={[]} />')).toEqual([expect.stringContaining('has no products')]);
    expect(messages('<ProductCard />')).toEqual([expect.stringContaining('has no product')]);
    expect(messages('<ShopTheLook title="x" />')).toEqual([expect.stringContaining('has no products')]);
    expect(messages('<ProductCard product="Not A Slug" />')).toEqual([expect.stringContaining('is not a product name')]);
    expect(messages('<ProductCard product="tee" variant="bad sku!" />')).toEqual([expect.stringContaining('is not a variant code')]);
    expect(messages(`<Callout title="${'t'.repeat(81)}">x</Callout>`)).toEqual([expect.stringContaining('at most 80 characters')]);
    expect(messages('<Callout tone="danger">x</Callout>')).toEqual([expect.stringContaining('"note", "tip" or "warning"')]);
    expect(messages('<ProductCard product="tee" product="coat" />')).toEqual([expect.stringContaining('written twice')]);
    expect(messages('<ProductCard product="tee">\n\nhello\n\n</ProductCard>')).toEqual([expect.stringContaining('takes no content')]);
  });
  it('reports every problem, sorted by place, with a line and a column, at most 50', () => {
    const found = problems('# Title\n\n<Foo />\n\n[x](javascript:1) and {x}\n\nimport a from "b"');
    expect(found.map((p) => [p.line, p.column])).toEqual([[1, 1], [3, 1], [5, 1], [5, 23], [7, 1]]);
    const many = Array.from({ length: 80 }, (_, i) => `[x${i}](javascript:${i})`).join('\n\n');
    const capped = problems(many);
    expect(capped).toHaveLength(STUDIO_MDX_LIMITS.maxProblems);
    expect(capped[0]!.line).toBe(1);
    expect(capped.at(-1)!.line).toBe(99);
  });
  it('nesting deep enough to exhaust the stack is a problem, not a crash', () => {
    const found = problems('> '.repeat(5000) + 'deep');
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain('nested too deeply');
  });
});

describe('good posts become plain data', () => {
  it('headings, emphasis, lists, quotes, code, breaks and links become sanitised HTML', () => {
    const r = ok(
      [
        '## Why linen',
        '',
        'It is *cool* and **strong**, with `care`.',
        '',
        '- one',
        '- two',
        '',
        '1. first',
        '',
        '> A quote',
        '',
        '---',
        '',
        '```mdx',
        '<ProductCard product="tee" /> <script>alert(1)</script>',
        '```',
        '',
        'See [the shop](/shop), [below](#care), [mail](mailto:a@b.example) and [Linen Co](https://linen.example/why).',
      ].join('\n'),
    );
    expect(r.doc.blocks).toHaveLength(1);
    const out = html(r.doc.blocks);
    expect(out).toContain('<h2>Why linen</h2>');
    expect(out).toContain('<p>It is <em>cool</em> and <strong>strong</strong>, with <code>care</code>.</p>');
    expect(out).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>/);
    expect(out).toMatch(/<ol>\s*<li>first<\/li>\s*<\/ol>/);
    expect(out).toMatch(/<blockquote>\s*<p>A quote<\/p>\s*<\/blockquote>/);
    expect(out).toContain('<hr>');
    // Code is text: a card in a fence is not a card, a script in a fence is escaped.
    expect(out).toContain('<pre><code class="language-mdx">&#x3C;ProductCard product="tee" /> &#x3C;script>');
    expect(r.refs).toEqual([]);
    expect(out).toContain('<a href="/shop">the shop</a>');
    expect(out).toContain('<a href="#care">below</a>');
    expect(out).toContain('<a href="mailto:a@b.example">mail</a>');
    expect(out).toContain('<a href="https://linen.example/why" rel="nofollow ugc noopener">Linen Co</a>');
  });
  it('an upload becomes a picture: AVIF and WebP srcsets, sizes, and an img with its size', () => {
    const r = ok('![A camel coat](/media/coat0001ab)');
    expect(r.mediaIds).toEqual(['coat0001ab']);
    const out = html(r.doc.blocks);
    expect(out).toContain(
      '<picture><source type="image/avif" srcset="/media/coat0001ab/480.avif 480w, /media/coat0001ab/960.avif 960w, /media/coat0001ab/1440.avif 1440w" sizes="(min-width: 760px) 680px, 100vw">',
    );
    expect(out).toContain('<source type="image/webp" srcset="/media/coat0001ab/480.webp 480w, /media/coat0001ab/960.webp 960w, /media/coat0001ab/1440.webp 1440w" sizes="(min-width: 760px) 680px, 100vw">');
    expect(out).toContain('<img src="/media/coat0001ab/960.webp" width="1600" height="2000" alt="A camel coat" loading="lazy" decoding="async"></picture>');
  });
  it('a site image is a plain lazy img; each upload is listed once', () => {
    const r = ok('![Logo](/images/brand/logo.svg)\n\n![a](/media/coat0001ab) ![b](/media/coat0001ab)');
    expect(html(r.doc.blocks)).toContain('<img src="/images/brand/logo.svg" alt="Logo" loading="lazy" decoding="async">');
    expect(r.mediaIds).toEqual(['coat0001ab']);
  });
  it('blocks split the prose; callouts hold their own prose', () => {
    const r = ok(
      '## Top\n\n<ProductCard product="tee" variant="TEE-M" />\n\nBetween.\n\n<ShopTheLook products={["coat", "scarf"]} title="Winter" />\n\n<Callout title="Fit" tone="tip">\n  Runs **small**.\n</Callout>\n\n<Callout>One line</Callout>',
    );
    expect(r.doc.blocks).toEqual([
      { type: 'html', html: '<h2>Top</h2>' },
      { type: 'card', product: 'tee', variant: 'TEE-M', card: 0 },
      { type: 'html', html: '<p>Between.</p>' },
      { type: 'look', products: ['coat', 'scarf'], title: 'Winter', cards: [1, 2] },
      { type: 'callout', title: 'Fit', tone: 'tip', children: [{ type: 'html', html: '<p>Runs <strong>small</strong>.</p>' }] },
      { type: 'callout', children: [{ type: 'html', html: '<p>One line</p>' }] },
    ]);
  });
});

describe('card ids', () => {
  const two = '<ProductCard product="tee" />\n\nText.\n\n<ProductCard product="coat" />';
  it('are 0, 1, 2 on a first compile, written into the source and listed in refs', () => {
    const r = ok(`${two}\n\n<ProductCard product="scarf" variant="SC-1" />`);
    expect(r.source).toBe('<ProductCard card={0} product="tee" />\n\nText.\n\n<ProductCard card={1} product="coat" />\n\n<ProductCard card={2} product="scarf" variant="SC-1" />');
    expect(r.nextCard).toBe(3);
    expect(r.refs).toEqual([
      { slug: 'tee', component: 'ProductCard', line: 1, position: 0, tagEnd: '<ProductCard'.length },
      { slug: 'coat', component: 'ProductCard', line: 5, position: 1, tagEnd: r.source.indexOf('<ProductCard card={1}') + '<ProductCard'.length },
      { slug: 'scarf', variant: 'SC-1', component: 'ProductCard', line: 7, position: 2, tagEnd: r.source.indexOf('<ProductCard card={2}') + '<ProductCard'.length },
    ]);
    for (const ref of r.refs) expect(r.source.slice(ref.tagEnd - '<ProductCard'.length, ref.tagEnd)).toBe('<ProductCard');
  });
  it('survive a reorder: two cards swapped keep their own ids', () => {
    const first = ok(two);
    const [a, b] = [first.source.split('\n\n')[0]!, first.source.split('\n\n')[2]!];
    const swapped = ok(`${b}\n\nText.\n\n${a}`, after(first));
    expect(swapped.doc.blocks.filter((x) => x.type === 'card')).toEqual([
      { type: 'card', product: 'coat', card: 1 },
      { type: 'card', product: 'tee', card: 0 },
    ]);
    expect(swapped.nextCard).toBe(2);
    expect(swapped.source).toBe(`${b}\n\nText.\n\n${a}`);
  });
  it('a copy-pasted card gets a fresh id; the first keeps its own', () => {
    const first = ok('<ProductCard product="tee" />');
    const pasted = ok(`${first.source}\n\n${first.source}`, after(first));
    expect(pasted.refs.map((r) => r.position)).toEqual([0, 1]);
    expect(pasted.source).toBe('<ProductCard card={0} product="tee" />\n\n<ProductCard card={1} product="tee" />');
    expect(pasted.nextCard).toBe(2);
  });
  it('a forged id (never handed out, or beyond nextCard) gets a fresh one', () => {
    const r = ok('<ProductCard product="tee" card={7} />\n\n<ProductCard product="coat" card={1} />', { nextCard: 3, knownCards: new Set([0, 2]) });
    expect(r.refs.map((x) => x.position)).toEqual([3, 4]);
    expect(r.source).toBe('<ProductCard product="tee" card={3} />\n\n<ProductCard product="coat" card={4} />');
    const beyond = ok('<ProductCard product="tee" card={5} />', { nextCard: 3, knownCards: new Set([5]) });
    expect(beyond.refs[0]!.position).toBe(3);
    // Without knownCards nothing is known yet (a first save).
    expect(ok('<ProductCard product="tee" card={0} />', { nextCard: 1 }).refs[0]!.position).toBe(1);
    // A quoted id is not a literal number: fresh.
    expect(ok('<ProductCard product="tee" card="0" />', { nextCard: 1, knownCards: new Set([0]) }).source).toBe('<ProductCard product="tee" card={1} />');
  });
  it('a look keeps its ids per product; an added product gets a fresh one; dropped ids go', () => {
    const first = ok('<ShopTheLook products={["coat", "scarf"]} />');
    expect(first.source).toBe('<ShopTheLook cards="0 1" products={["coat", "scarf"]} />');
    const added = ok(first.source.replace('"scarf"]', '"scarf", "boots"]'), after(first));
    expect(added.doc.blocks).toEqual([{ type: 'look', products: ['coat', 'scarf', 'boots'], cards: [0, 1, 2] }]);
    expect(added.source).toBe('<ShopTheLook cards="0 1 2" products={["coat", "scarf", "boots"]} />');
    const shorter = ok('<ShopTheLook cards="0 1 2" products={["coat"]} />', after(added));
    expect(shorter.source).toBe('<ShopTheLook cards="0" products={["coat"]} />');
    expect(shorter.nextCard).toBe(3);
    // Garbled ids and one taken by an earlier card are replaced.
    const clash = ok('<ProductCard card={1} product="tee" />\n\n<ShopTheLook cards="x 1" products={["a", "b"]} />', { nextCard: 3, knownCards: new Set([0, 1, 2]) });
    expect(clash.refs.map((x) => [x.slug, x.position])).toEqual([['tee', 1], ['a', 3], ['b', 4]]);
  });
  it('the returned source compiles again to the same document (idempotent)', () => {
    const source = '## Look\n\n<ProductCard\n  product="tee"\n  variant="TEE-M"\n/>\n\n<ShopTheLook title="Winter" products={["coat","scarf"]} />\n\n<Callout>\n  Hi\n</Callout>\n\n![x](/media/coat0001ab)';
    const first = ok(source);
    const again = ok(first.source, after(first));
    expect(again.source).toBe(first.source);
    expect(again.doc).toEqual(first.doc);
    expect(again.refs).toEqual(first.refs);
    expect(again.nextCard).toBe(first.nextCard);
    // The creator's formatting survives: only the ids were written in.
    expect(first.source).toBe(source.replace('<ProductCard\n', '<ProductCard card={0}\n').replace('<ShopTheLook ', '<ShopTheLook cards="1 2" '));
  });
  it('ref lines count in the returned source, even when an id attribute spanned lines', () => {
    const r = ok('<ShopTheLook cards="0\n1" products={["a","b"]} />\n\n<ProductCard product="tee" />', { nextCard: 2, knownCards: new Set([0, 1]) });
    expect(r.source).toBe('<ShopTheLook cards="0 1" products={["a","b"]} />\n\n<ProductCard card={2} product="tee" />');
    expect(r.refs.map((x) => x.line)).toEqual([1, 1, 3]);
  });
});

describe('code fences', () => {
  const htmlOf = (blocks: StudioBlock[]): string => blocks.map((b) => (b.type === 'html' ? b.html : '')).join('');

  it('keeps a plain language name as the highlighter class', () => {
    const html = htmlOf(ok('```ts\nconst a = 1;\n```').doc.blocks);
    expect(html).toContain('class="language-ts"');
  });

  it('drops a language that is not a plain word, so no markup reaches an attribute', () => {
    const html = htmlOf(ok('```<script>\n```').doc.blocks);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<pre><code>');
  });
});

describe('property: any input', () => {
  // Fragments that make the parser try tags, expressions, links, images and entities.
  const piece = fc.constantFrom(
    '<', '>', '/', '{', '}', '[', ']', '(', ')', '!', '"', "'", '=', '&', '#', ';', ':', '*', '`', '\n', '\n\n', ' ', '\t', '-', '\\',
    'script', 'javascript:', 'JaVaScRiPt:', 'java&#x09;script:', 'data:', 'onerror=', 'onClick', 'alert(1)', '&#106;', '&lt;',
    '<ProductCard', ' product="tee"', ' card={1}', '/>', '<ShopTheLook products={["a","b"]} />', '<Callout>', '</Callout>',
    '<script>', '<iframe', '<img src=x onerror=alert(1)>', '![x](', '/media/coat0001ab', '/images/a.png', '](', 'https://x.example', '//evil',
    '## ', '# ', '> ', '- ', '1. ', '```', 'export ', 'import ', '{...p}', 'text',
  );
  const source = fc.oneof(fc.array(piece, { maxLength: 40 }).map((a) => a.join('')), fc.string({ maxLength: 200 }));

  it('never throws, and an ok document has no script, no handler and no javascript: URL in its markup', () => {
    fc.assert(
      fc.property(source, fc.boolean(), (text, requireAlt) => {
        const r = compileStudioMdx(text, opts({ requireAlt }));
        if (!r.ok) {
          expect(r.problems.length).toBeGreaterThan(0);
          for (const p of r.problems) expect(p.line >= 1 && p.column >= 1 && p.message.length > 0).toBe(true);
          return;
        }
        const all: string[] = [];
        const walk = (blocks: StudioBlock[]) => blocks.forEach((b) => (b.type === 'html' ? all.push(b.html) : b.type === 'callout' ? walk(b.children) : undefined));
        walk(r.doc.blocks);
        for (const h of all) {
          // Text is escaped, so every `<` left in the HTML opens one of our own tags.
          expect(h).not.toMatch(/<script/i);
          for (const tag of h.match(/<[^>]*>/g) ?? []) {
            expect(tag).not.toMatch(/\son\w+=/i);
            expect(tag).not.toMatch(/(href|src|srcset)="\s*(javascript|data|vbscript):/i);
          }
        }
        expect(all.join('')).not.toMatch(/(href|src)="javascript:/i);
      }),
      { numRuns: 400 },
    );
  });
});
