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

  // Off while closing, so giving focus back to the opener is not pulled into the panel again.
  const trapping = useRef(false);
  const close = useCallback(() => {
    trapping.current = false;
    setOpen(false);
    if (opener.current instanceof HTMLElement && opener.current.isConnected) opener.current.focus();
  }, []);

  // A modal dialog (aria-modal): while open, Tab and Shift+Tab cycle inside the panel, focus that
  // lands outside is brought back, Escape closes, and closing returns focus to what opened it
  // (WAI-ARIA Authoring Practices, dialog pattern).
  useEffect(() => {
    if (!open) return;
    trapping.current = true;
    panel.current?.focus();
    const focusables = () =>
      [...(panel.current?.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])') ?? [])];
    const onKey = (e: KeyboardEvent) => {
      if (!trapping.current) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        close();
        return;
      }
      if (e.key !== 'Tab' || !panel.current) return;
      const items = focusables();
      if (items.length === 0) {
        e.preventDefault();
        panel.current.focus();
        return;
      }
      const first = items[0]!;
      const last = items[items.length - 1]!;
      const active = document.activeElement;
      if (e.shiftKey && (active === first || active === panel.current || !panel.current.contains(active))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (active === last || !panel.current.contains(active))) {
        e.preventDefault();
        first.focus();
      }
    };
    const onFocusIn = (e: FocusEvent) => {
      if (trapping.current && panel.current && e.target instanceof Node && !panel.current.contains(e.target)) panel.current.focus();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('focusin', onFocusIn);
    };
  }, [open, close]);

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
