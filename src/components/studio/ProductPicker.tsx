/**
 * The product picker of the studio editor: a modal dialog to choose what a shop block shows.
 * - "card": one product and, optionally, the size or colour it opens on; the card is previewed as
 *   readers will see it (/studio/api/card-preview).
 * - "look": 2 to 8 products, in order, and an optional title.
 * Search (debounced) and the category filter ask /studio/api/products (active products, live
 * availability, prices in the shop's format). Every control is a real button, field or radio with
 * a label; Escape or Cancel closes; focus goes to the search box on opening and back to the button
 * that opened it on closing (PostEditor.tsx). A native <dialog>, so the page behind is inert.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import CardPreview from './CardPreview.tsx';
import { cardPreviewHref, LOOK_MAX, LOOK_MIN, slugWords } from './editor-model.ts';
import type { PickerRequest, PickerResult } from './studio-context.ts';

interface PickerVariant {
  sku: string;
  label: string;
  priceLabel: string;
  available: boolean;
}
interface PickerProduct {
  slug: string;
  name: string;
  brand: string;
  category: string;
  priceLabel: string;
  image: { src: string; alt: string } | null;
  available: boolean;
  variants: PickerVariant[];
}
interface SearchAnswer {
  products: PickerProduct[];
  categories: { slug: string; name: string }[];
}

const SEARCH_DELAY_MS = 250;

interface Props {
  request: PickerRequest;
  searchUrl: string;
  previewUrl: string;
  onPick: (result: PickerResult) => void;
  onClose: () => void;
}

export default function ProductPicker({ request, searchUrl, previewUrl, onPick, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  const ids = { title: useId(), q: useId(), cat: useId(), status: useId(), variants: useId(), chosen: useId(), lookTitle: useId(), hint: useId() };
  const [q, setQ] = useState('');
  const [category, setCategory] = useState('');
  const [answer, setAnswer] = useState<SearchAnswer | null>(null);
  const [status, setStatus] = useState('Loading products…');
  const [error, setError] = useState<string | null>(null);
  const [names, setNames] = useState<Map<string, string>>(() => new Map());

  // Card: the chosen product and variant. Look: the chosen products, in order.
  const [card, setCard] = useState<{ slug: string; variant: string } | null>(request.mode === 'card' && request.product ? { slug: request.product, variant: request.variant ?? '' } : null);
  const [look, setLook] = useState<string[]>(request.mode === 'look' ? (request.products ?? []) : []);
  const [lookTitle, setLookTitle] = useState(request.mode === 'look' ? (request.title ?? '') : '');
  const [notice, setNotice] = useState('');

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    searchBox.current?.focus();
  }, []);

  // Search: debounced, the previous request cancelled.
  useEffect(() => {
    const ctrl = new AbortController();
    const timer = setTimeout(async () => {
      setStatus('Searching…');
      const qs = new URLSearchParams();
      if (q.trim()) qs.set('q', q.trim());
      if (category) qs.set('category', category);
      try {
        const query = qs.toString();
        const res = await fetch(`${searchUrl}${query ? `?${query}` : ''}`, { credentials: 'same-origin', headers: { accept: 'application/json' }, signal: ctrl.signal });
        const json = (await res.json().catch(() => null)) as (SearchAnswer & { message?: string }) | null;
        if (!res.ok || !json || !Array.isArray(json.products)) {
          setError(json?.message ?? 'The shop could not be searched just now. Try again.');
          setStatus('');
          return;
        }
        setError(null);
        setAnswer(json);
        setNames((old) => {
          const next = new Map(old);
          for (const p of json.products) next.set(p.slug, p.name);
          return next;
        });
        const n = json.products.length;
        setStatus(n === 0 ? 'No products match. Try another word or category.' : `${n === 24 ? 'The first 24' : n} product${n === 1 ? '' : 's'}${q.trim() ? ` for “${q.trim()}”` : ''}.`);
      } catch (e) {
        if ((e as Error).name === 'AbortError') return;
        setError('No connection to the shop. Check your connection and try again.');
        setStatus('');
      }
    }, answer === null ? 0 : SEARCH_DELAY_MS);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q, category, searchUrl]);

  const nameOf = (slug: string) => names.get(slug) ?? slugWords(slug);
  const chosenProduct = useMemo(() => (card ? answer?.products.find((p) => p.slug === card.slug) : undefined), [answer, card]);
  const lookCount = look.length;
  const canInsert = request.mode === 'card' ? card !== null : lookCount >= LOOK_MIN && lookCount <= LOOK_MAX;

  const toggleLook = (slug: string) => {
    if (look.includes(slug)) {
      setLook(look.filter((s) => s !== slug));
      setNotice(`${nameOf(slug)} taken out of the look. ${lookCount - 1} chosen.`);
    } else if (lookCount >= LOOK_MAX) {
      setNotice(`A look holds at most ${LOOK_MAX} products. Take one out first.`);
    } else {
      setLook([...look, slug]);
      setNotice(`${nameOf(slug)} added to the look. ${lookCount + 1} chosen.`);
    }
  };
  const moveInLook = (i: number, dir: -1 | 1) => {
    const j = i + dir;
    if (j < 0 || j >= lookCount) return;
    const next = [...look];
    [next[i], next[j]] = [next[j]!, next[i]!];
    setLook(next);
    const slug = look[i]!;
    setNotice(`${nameOf(slug)} moved to place ${j + 1}.`);
    // Reordering moves the item's element, which can drop the focus: keep it on the item.
    requestAnimationFrame(() => {
      const buttons = [...(dialog.current?.querySelectorAll<HTMLButtonElement>(`[data-look-item="${slug}"] button`) ?? [])];
      (buttons.find((b) => b.dataset.dir === String(dir) && !b.disabled) ?? buttons.find((b) => !b.disabled))?.focus();
    });
  };

  const insert = () => {
    if (!canInsert) return;
    if (request.mode === 'card' && card) {
      onPick({ mode: 'card', product: card.slug, ...(card.variant ? { variant: card.variant } : {}), name: nameOf(card.slug) });
    } else if (request.mode === 'look') {
      const title = lookTitle.trim();
      onPick({ mode: 'look', products: look, ...(title ? { title } : {}) });
    }
  };

  const heading = request.mode === 'card' ? (request.action === 'change' ? 'Change the product' : 'Add a product card') : request.action === 'change' ? 'Change the look' : 'Add “Shop the look”';
  const insertLabel = request.action === 'change' ? 'Use these' : request.mode === 'card' ? 'Insert the card' : 'Insert the look';

  return (
    <dialog
      ref={dialog}
      className="pe-dialog pe-picker"
      aria-labelledby={ids.title}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onKeyDown={(e) => {
        // Enter in a field never submits anything: the picker has no form.
        if (e.key === 'Enter' && e.target instanceof HTMLInputElement && e.target.type !== 'radio') e.preventDefault();
      }}
    >
      <div className="pe-picker__head">
        <h2 id={ids.title}>{heading}</h2>
        <button type="button" className="pe-btn" onClick={onClose}>
          Close
        </button>
      </div>
      {request.mode === 'look' && (
        <p className="pe-hint" id={ids.hint}>
          Choose {LOOK_MIN} to {LOOK_MAX} products; they show in the order chosen.
        </p>
      )}
      <div className="pe-picker__search" role="search">
        <div className="pe-field">
          <label htmlFor={ids.q}>Search products</label>
          <input ref={searchBox} id={ids.q} type="search" value={q} maxLength={80} autoComplete="off" placeholder="Name, brand, category or code" onChange={(e) => setQ(e.target.value)} aria-describedby={ids.status} />
        </div>
        <div className="pe-field">
          <label htmlFor={ids.cat}>Category</label>
          <select id={ids.cat} value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">All categories</option>
            {answer?.categories.map((c) => (
              <option key={c.slug} value={c.slug}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="pe-picker__status" id={ids.status} role="status">
        {status}
      </p>
      {error && (
        <p className="pe-dialog__error" role="alert">
          {error}
        </p>
      )}
      <p className="visually-hidden" aria-live="polite">
        {notice}
      </p>

      <ul className="pe-picker__results" aria-label="Products">
        {answer?.products.map((p) => {
          const chosen = request.mode === 'card' ? card?.slug === p.slug : look.includes(p.slug);
          const full = request.mode === 'look' && !chosen && lookCount >= LOOK_MAX;
          return (
            <li key={p.slug}>
              <button
                type="button"
                className="pe-picker__product"
                aria-pressed={chosen}
                aria-disabled={full || undefined}
                onClick={() => {
                  if (request.mode === 'card') {
                    setCard({ slug: p.slug, variant: card?.slug === p.slug ? card.variant : '' });
                    setNotice(`${p.name} chosen. ${p.variants.length > 1 ? 'Choose a size or colour below if you like, then insert.' : 'Insert it below.'}`);
                  } else toggleLook(p.slug);
                }}
              >
                {p.image ? <img src={p.image.src} alt="" width="56" height="70" loading="lazy" decoding="async" /> : <span className="pe-picker__noimg" aria-hidden="true" />}
                <span className="pe-picker__text">
                  <span className="pe-picker__brand">{p.brand}</span>
                  <span className="pe-picker__name">{p.name}</span>
                  <span className="pe-picker__price">
                    {p.priceLabel}
                    {!p.available && <span className="pe-picker__out"> · Sold out</span>}
                  </span>
                </span>
                {chosen && <span className="pe-picker__tick">{request.mode === 'look' ? `#${look.indexOf(p.slug) + 1}` : 'Chosen'}</span>}
              </button>
            </li>
          );
        })}
      </ul>

      {request.mode === 'card' && card && (
        <section className="pe-picker__chosen" aria-labelledby={ids.chosen}>
          <h3 id={ids.chosen}>{nameOf(card.slug)}</h3>
          {chosenProduct && chosenProduct.variants.length > 1 && (
            <fieldset className="pe-chips">
              <legend>Open the card on (optional)</legend>
              {/* ProductTile preselects no size for readers (a card never adds a size unasked): the
                  choice sets the colour and picture the card shows, not the reader's size. */}
              <p className="pe-hint">Readers always choose their own size; this sets the colour and picture the card opens on.</p>
              <label className="pe-chip">
                <input type="radio" name={ids.variants} value="" checked={card.variant === ''} onChange={() => setCard({ ...card, variant: '' })} />
                <span>Reader chooses</span>
              </label>
              {chosenProduct.variants.map((v) => (
                <label key={v.sku} className={`pe-chip${v.available ? '' : ' pe-chip--out'}`}>
                  <input type="radio" name={ids.variants} value={v.sku} checked={card.variant === v.sku} onChange={() => setCard({ ...card, variant: v.sku })} />
                  <span>
                    {v.label}
                    {!v.available && <span className="visually-hidden"> (sold out now)</span>}
                  </span>
                </label>
              ))}
            </fieldset>
          )}
          <p className="pe-hint">As readers will see it:</p>
          <CardPreview url={cardPreviewHref(previewUrl, card.slug, card.variant || undefined)} />
        </section>
      )}

      {request.mode === 'look' && (
        <section className="pe-picker__chosen" aria-labelledby={ids.chosen}>
          <h3 id={ids.chosen}>
            In the look: {lookCount} of {LOOK_MAX}
          </h3>
          {lookCount === 0 ? (
            <p className="pe-hint">Nothing chosen yet.</p>
          ) : (
            <ol className="pe-picker__look">
              {look.map((slug, i) => (
                <li key={slug} data-look-item={slug}>
                  <span>{nameOf(slug)}</span>
                  <span className="pe-picker__look-actions">
                    <button type="button" className="pe-btn" data-dir="-1" disabled={i === 0} onClick={() => moveInLook(i, -1)} aria-label={`Move ${nameOf(slug)} earlier`}>
                      Earlier
                    </button>
                    <button type="button" className="pe-btn" data-dir="1" disabled={i === lookCount - 1} onClick={() => moveInLook(i, 1)} aria-label={`Move ${nameOf(slug)} later`}>
                      Later
                    </button>
                    <button type="button" className="pe-btn" onClick={() => toggleLook(slug)} aria-label={`Take ${nameOf(slug)} out`}>
                      Take out
                    </button>
                  </span>
                </li>
              ))}
            </ol>
          )}
          <div className="pe-field">
            <label htmlFor={ids.lookTitle}>Title (optional)</label>
            <input id={ids.lookTitle} type="text" maxLength={80} value={lookTitle} placeholder="Shop the look" onChange={(e) => setLookTitle(e.target.value)} />
          </div>
        </section>
      )}

      <div className="pe-dialog__actions">
        <button type="button" className="button button--ghost" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="button" onClick={insert} aria-disabled={!canInsert || undefined} aria-describedby={!canInsert ? ids.hint : undefined}>
          {insertLabel}
        </button>
      </div>
      {!canInsert && (
        <p className="pe-hint" id={request.mode === 'card' ? ids.hint : undefined}>
          {request.mode === 'card' ? 'Choose a product first.' : `Choose ${LOOK_MIN} to ${LOOK_MAX} products first.`}
        </p>
      )}
    </dialog>
  );
}
