/**
 * A product card exactly as readers see it, from our own server (/studio/api/card-preview renders
 * the real ProductTile as an HTML fragment). It is shown, not used: the fragment is made `inert`
 * (no clicks, no focus — its "Add to bag" must not fire inside the editor), its ids are removed
 * (two previews of one product would repeat them), and it is parsed in a detached <template>
 * before it is moved in. Parsed in place (innerHTML) inside the post's <form>, the card's own
 * <form> would be dropped and its inputs and button would join the post form.
 */
import { useEffect, useRef, useState } from 'react';

type Loaded = { ok: boolean; html: string };

// One request per card address while the editor is open: blocks re-render and move often.
const cache = new Map<string, { at: number; result: Promise<Loaded> }>();
const FRESH_MS = 60_000;

function load(url: string): Promise<Loaded> {
  const hit = cache.get(url);
  if (hit && Date.now() - hit.at < FRESH_MS) return hit.result;
  const result = fetch(url, { credentials: 'same-origin', headers: { accept: 'text/html' } })
    .then(async (res) => ({ ok: res.ok, html: await res.text() }))
    .catch(() => ({ ok: false, html: '' }));
  cache.set(url, { at: Date.now(), result });
  return result;
}

interface Props {
  url: string;
  /** The product's name as the card shows it, once loaded (for labels). */
  onName?: (name: string | null) => void;
  compact?: boolean;
}

export default function CardPreview({ url, onName, compact = false }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'ok' | 'missing' | 'failed'>('loading');
  const named = useRef(onName);
  named.current = onName;

  useEffect(() => {
    let live = true;
    setState('loading');
    void load(url).then(({ ok, html }) => {
      const el = box.current;
      if (!live || !el) return;
      if (!html.trim()) {
        el.replaceChildren();
        setState('failed');
        named.current?.(null);
        return;
      }
      const t = document.createElement('template');
      t.innerHTML = html;
      for (const n of t.content.querySelectorAll('[id]')) n.removeAttribute('id');
      for (const n of t.content.querySelectorAll('[aria-labelledby],[aria-describedby]')) {
        n.removeAttribute('aria-labelledby');
        n.removeAttribute('aria-describedby');
      }
      // Nothing in a preview runs (our server sends none; belt and braces).
      for (const n of t.content.querySelectorAll('script')) n.remove();
      el.replaceChildren(t.content);
      setState(ok ? 'ok' : 'missing');
      named.current?.(ok ? (el.querySelector('.tile__name')?.textContent?.trim() ?? null) : null);
    });
    return () => {
      live = false;
    };
  }, [url]);

  return (
    <div className={`pe-preview${compact ? ' pe-preview--compact' : ''}`} data-state={state}>
      {state === 'loading' && <p className="pe-preview__note">Loading the card…</p>}
      {state === 'failed' && <p className="pe-preview__note">The card could not be loaded. It still saves; check your connection.</p>}
      {/* What readers will see; inert: a picture of the card, not a second add-to-bag form. The
          "not for sale" answer is only words, so it stays readable. */}
      <div ref={box} className="pe-preview__card" inert={state !== 'missing'} />
    </div>
  );
}
