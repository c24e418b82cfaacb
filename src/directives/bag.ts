/**
 * `client:bag` — hydrates the bag drawer island only when the reader first adds something or opens
 * the bag. Posts therefore load no React before any interaction (page-weight budget: docs/benchmarks.md).
 */
import type { ClientDirective } from 'astro';

const bagDirective: ClientDirective = (load) => {
  let started = false;
  const go = async () => {
    if (started) return;
    started = true;
    const hydrate = await load();
    await hydrate();
  };
  window.addEventListener('lookbook:bag-changed', () => void go());
  window.addEventListener('lookbook:bag-open', () => void go());
};

export default bagDirective;
