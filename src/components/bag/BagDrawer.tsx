/**
 * The one cart island: a drawer with the bag's lines and subtotal. It is hydrated by
 * `client:bag` on the first add or bag click, then opens itself; every later add re-opens it.
 * Without JavaScript none of this exists and the plain forms and /bag page do the work.
 */
import { memo, useCallback, useEffect, useRef, useState } from 'react';

interface DrawerLine {
  id: number;
  title: string;
  brand: string;
  variant: string;
  qty: number;
  price: string;
  image: string;
  href: string;
  /** What is wrong with the line, in the bag's own words ("Only 2 left — …"), or null. */
  warning: string | null;
}
interface DrawerBag {
  count: number;
  subtotal: string;
  blocked: boolean;
  lines: DrawerLine[];
}

function BagDrawer() {
  // Closed in the server render; the island mounts only on the first add/open, so it opens then.
  const [open, setOpen] = useState(false);
  const [bag, setBag] = useState<DrawerBag | null>(null);
  const [error, setError] = useState<string | null>(null);
  const panel = useRef<HTMLDivElement>(null);
  const opener = useRef<Element | null>(null);

  const refresh = useCallback(async () => {
    try {
      const res = await fetch('/bag.json', { headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(String(res.status));
      setBag((await res.json()) as DrawerBag);
      setError(null);
    } catch {
      setError('Could not load your bag.');
    }
  }, []);

  // The add-to-bag script records what the reader used (it may be disabled while the request runs).
  const currentOpener = () => (window as unknown as { lookbookBagOpener?: Element | null }).lookbookBagOpener ?? document.activeElement;

  useEffect(() => {
    opener.current = currentOpener();
    setOpen(true);
    void refresh();
    const show = () => {
      opener.current = currentOpener();
      setOpen(true);
      void refresh();
    };
    window.addEventListener('lookbook:bag-changed', show);
    window.addEventListener('lookbook:bag-open', show);
    return () => {
      window.removeEventListener('lookbook:bag-changed', show);
      window.removeEventListener('lookbook:bag-open', show);
    };
  }, [refresh]);

  useEffect(() => {
    if (!open) return;
    panel.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);

  const close = () => {
    setOpen(false);
    if (opener.current instanceof HTMLElement) opener.current.focus();
  };

  if (!open) return null;
  return (
    <div className="drawer" data-bag-drawer>
      <div className="drawer__scrim" onClick={close} aria-hidden="true" />
      <div className="drawer__panel" role="dialog" aria-modal="true" aria-labelledby="drawer-title" tabIndex={-1} ref={panel}>
        <div className="drawer__head">
          <h2 id="drawer-title">Your bag{bag ? ` (${bag.count})` : ''}</h2>
          <button type="button" className="drawer__close" onClick={close} aria-label="Close bag">
            ×
          </button>
        </div>
        {error && <p role="alert">{error}</p>}
        {bag && bag.lines.length === 0 && <p>Your bag is empty.</p>}
        {bag && bag.lines.length > 0 && (
          <>
            <ul className="drawer__lines">
              {bag.lines.map((l) => (
                <li key={l.id}>
                  <img src={l.image} alt="" width={56} height={70} />
                  <div>
                    <a href={l.href}>{l.title}</a>
                    <p>
                      {l.variant} · {l.qty} × <span>{l.price}</span>
                    </p>
                    {l.warning && <p className="drawer__warn">{l.warning}</p>}
                  </div>
                </li>
              ))}
            </ul>
            <p className="drawer__subtotal">
              <span>Subtotal</span> <strong>{bag.subtotal}</strong>
            </p>
            {bag.blocked && <p className="drawer__warn">Fix the items marked above in your bag to check out.</p>}
            <div className="drawer__actions">
              <a className="button button--ghost" href="/bag">
                View bag
              </a>
              {!bag.blocked && (
                <a className="button" href="/checkout">
                  Check out
                </a>
              )}
            </div>
          </>
        )}
      </div>
    </div>
  );
}

// memo() makes this an object component, so @astrojs/react recognises it without its check()
// probe calling it outside a render (which logs a spurious "Invalid hook call" on every request;
// withastro/astro#16767).
export default memo(BagDrawer);
