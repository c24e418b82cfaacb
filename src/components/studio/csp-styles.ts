/**
 * CodeMirror (MDXEditor's source view) styles itself through style-mod, which writes its rules
 * into a <style> element in the document's head: inline CSS, which the site's Content-Security-
 * Policy refuses (docs/decisions/0023-security-headers-and-csp.md — style-src is 'self' plus the
 * hashes of the page's own styles), leaving the source view unstyled and a violation reported.
 * Inside a shadow root style-mod uses a constructed stylesheet (adoptedStyleSheets) instead, which
 * is not inline markup. Here the document is handed to it the same way, so the source view is
 * styled with no <style> element and no change to the policy. Studio pages only (this island).
 */
import { StyleModule } from 'style-mod';

let adopted = false;

export function adoptCodeMirrorStyles(doc: Document = document): void {
  if (adopted || typeof CSSStyleSheet === 'undefined' || !('adoptedStyleSheets' in doc)) return;
  adopted = true;
  // Looks like a shadow root to style-mod: no `head`, and adoptedStyleSheets that are the document's.
  const asShadowRoot = {
    ownerDocument: doc,
    get adoptedStyleSheets() {
      return doc.adoptedStyleSheets;
    },
    set adoptedStyleSheets(sheets: CSSStyleSheet[]) {
      doc.adoptedStyleSheets = sheets;
    },
  } as unknown as ShadowRoot;
  const mount = StyleModule.mount.bind(StyleModule);
  StyleModule.mount = (root, modules, options) => mount(root === doc ? asShadowRoot : root, modules, options);
}
