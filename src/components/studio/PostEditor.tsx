/**
 * The studio's post editor: a React island (`client:only="react"`, loaded by the studio post page
 * only) that enhances the page's plain form (docs/decisions/0041-studio-editor.md).
 *
 * Without JavaScript the page is a form with the post's MDX in a <textarea>. With it, this island
 * hides that textarea — it stays in the form and holds the current MDX after every change, so the
 * form's own buttons submit exactly what the editor shows — and puts MDXEditor in its place: a
 * Markdown toolbar (H2–H4, bold, italic, lists, quote, link, image, rule, undo/redo, a source
 * view), the three shop blocks shown as readers see them (ShopBlocks.tsx) and the product picker
 * (ProductPicker.tsx).
 *
 * Autosave (autosave.ts): 1.5 s after the last change, or when a field is left, the form's fields
 * go to `autosaveUrl` as JSON with the draft version; the answer updates the hidden draftVersion
 * and writes the server's card ids into the blocks. Leaving with unsaved changes asks first,
 * unless the form itself is being submitted.
 */
import { Component, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import {
  BoldItalicUnderlineToggles,
  Button,
  codeBlockEditorDescriptors$,
  codeBlockPlugin,
  CreateLink,
  currentBlockType$,
  applyBlockType$,
  diffSourcePlugin,
  DiffSourceToggleWrapper,
  directiveDescriptors$,
  headingsPlugin,
  imagePlugin,
  importMdastTreeToLexical,
  importVisitors$,
  InsertImage,
  InsertThematicBreak,
  jsxComponentDescriptors$,
  jsxPlugin,
  linkDialogPlugin,
  linkPlugin,
  listsPlugin,
  ListsToggle,
  markdownShortcutPlugin,
  maxLengthPlugin,
  MDXEditor,
  quotePlugin,
  rootEditor$,
  Separator,
  thematicBreakPlugin,
  toolbarPlugin,
  UndoRedo,
  useCellValue,
  useCodeBlockEditorContext,
  usePublisher,
  useRealm,
  viewMode$,
  type BlockType,
  type CodeBlockEditorProps,
  type MDXEditorMethods,
  type Realm,
} from '@mdxeditor/editor';
import '@mdxeditor/editor/style.css';
import './post-editor.css';
import { $createParagraphNode, $getNodeByKey, $getRoot, $getSelection, $isElementNode, $isNodeSelection, $isParagraphNode, $isRangeSelection, type LexicalNode } from 'lexical';
import type { MdxJsxFlowElement } from 'mdast-util-mdx';
import { Autosave, type SaveState } from './autosave.ts';
import { enhanceCoverUpload } from './cover-upload.ts';
import { adoptCodeMirrorStyles } from './csp-styles.ts';
import {
  AUTOSAVE_FIELDS,
  autosavePayload,
  imagesWithoutAlt,
  linkAllowed,
  lookJsx,
  productCardJsx,
  saveReconcile,
  savedAtLabel,
  setAttrs,
  type AttrChange,
  type BlockIds,
  type JsxProps,
} from './editor-model.ts';
import { makeImageDialog, type Uploader } from './ImageDialog.tsx';
import ProductPicker from './ProductPicker.tsx';
import { nestedEditorSyncPlugin, SHOP_BLOCK_DESCRIPTORS } from './ShopBlocks.tsx';
import { StudioContext, type PickerRequest, type PickerResult, type StudioEditorContext } from './studio-context.ts';

export interface PostEditorProps {
  /** The post form's id; its named fields are what autosave sends. */
  formId: string;
  /** The id of the form's `<textarea name="body">`, replaced by the editor. */
  bodyFieldId: string;
  /** POST JSON `{ draftVersion, fields }` → `{ ok, draftVersion, savedAt, body }`. */
  autosaveUrl: string;
  /** POST multipart `file` (+ `for=inline`) → `{ ok, media: { id, src, markdown } }`. */
  uploadUrl: string;
  /** GET `?q=&category=` → `{ products, categories }` (src/pages/studio/api/products.ts). */
  productSearchUrl: string;
  /** GET `?product=&variant=` → the reader's card as HTML (src/pages/studio/api/card-preview.astro). */
  cardPreviewUrl: string;
}

interface Mount {
  form: HTMLFormElement;
  textarea: HTMLTextAreaElement;
  container: HTMLElement;
}

adoptCodeMirrorStyles();

export default function PostEditor(props: PostEditorProps) {
  const [mount, setMount] = useState<Mount | null>(null);
  useEffect(() => {
    const form = document.getElementById(props.formId);
    const textarea = document.getElementById(props.bodyFieldId);
    // Without the form or its body field there is nothing to enhance: the page stays as it is.
    if (!(form instanceof HTMLFormElement) || !(textarea instanceof HTMLTextAreaElement) || textarea.form !== form) return;
    const given = textarea.nextElementSibling;
    const container = given instanceof HTMLElement && given.id === 'post-editor-root' ? given : document.createElement('div');
    const created = container !== given;
    if (created) textarea.insertAdjacentElement('afterend', container);
    container.classList.add('pe-root');
    setMount({ form, textarea, container });
    return () => {
      if (created) container.remove();
    };
  }, [props.formId, props.bodyFieldId]);
  if (!mount) return null;
  return createPortal(
    <FallBackToTextarea textarea={mount.textarea}>
      <EditorShell {...props} {...mount} />
    </FallBackToTextarea>,
    mount.container,
  );
}

/** If the editor fails, the plain textarea comes back with what it holds: writing goes on. */
class FallBackToTextarea extends Component<{ textarea: HTMLTextAreaElement; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override componentDidCatch() {
    this.props.textarea.hidden = false;
  }
  override render() {
    return this.state.failed ? (
      <p className="pe-status" role="alert">
        The editor could not start. Keep writing in the box above; saving works as usual.
      </p>
    ) : (
      this.props.children
    );
  }
}

/** MDXEditor's labels, in the studio's words; everything else keeps MDXEditor's own. */
const LABELS: Record<string, string> = {
  'toolbar.source': 'MDX source',
  'toolbar.richText': 'Editor',
  'toolbar.blockTypes.quote': 'Quote',
  'contentArea.editableMarkdown': 'Post',
};
const translate = (key: string, fallback: string, values?: Record<string, unknown>) =>
  (LABELS[key] ?? fallback).replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => String(values?.[k] ?? ''));

const FIELD_LABEL: Record<string, string> = { title: 'Title', slug: 'Address', summary: 'Summary', kind: 'Kind', tags: 'Tags', heroMediaId: 'Cover image', heroAlt: 'Cover description', body: 'Post' };
const MEDIA_SRC = /^\/media\/([A-Za-z0-9_-]{8,40})$/;
/** The form fields whose change autosave sends (the body is the editor's). */
const WATCHED = new Set<string>(AUTOSAVE_FIELDS.filter((f) => f !== 'body'));

/** The Lexical node MDXEditor uses for a JSX block (its class is not exported). */
interface JsxLexicalNode extends LexicalNode {
  getMdastNode(): MdxJsxFlowElement;
  setMdastNode(node: MdxJsxFlowElement): void;
}
const isJsxNode = (n: LexicalNode): n is JsxLexicalNode => n.getType() === 'jsx' && 'getMdastNode' in n;

function jsxElement(name: string, props: JsxProps, children: MdxJsxFlowElement['children'] = []): MdxJsxFlowElement {
  const changes: Record<string, AttrChange> = {};
  for (const [k, v] of Object.entries(props)) changes[k] = typeof v === 'string' ? v : { expression: v.value };
  return { type: 'mdxJsxFlowElement', name, attributes: setAttrs([], changes), children };
}

function EditorShell({ form, textarea, container, autosaveUrl, uploadUrl, productSearchUrl, cardPreviewUrl }: PostEditorProps & Mount) {
  const editor = useRef<MDXEditorMethods>(null);
  const realm = useRef<Realm | null>(null);
  const contentRevision = useRef(0);
  const applyingServer = useRef(false);
  const leaving = useRef(false);
  const resubmitting = useRef(false);
  const pendingSourceView = useRef(false);
  const previews = useRef(new Map<string, string>());
  const [initial] = useState(() => textarea.value);
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'idle' });
  const [spoken, setSpoken] = useState('');
  const [missingAlt, setMissingAlt] = useState(() => imagesWithoutAlt(textarea.value));
  const [picker, setPicker] = useState<{ request: PickerRequest; onPick: (r: PickerResult) => void; from: HTMLElement | null } | null>(null);

  const announce = useCallback((message: string) => {
    // The same words twice in a row are still said: clear first.
    setSpoken('');
    requestAnimationFrame(() => setSpoken(message));
  }, []);

  const draftVersionInput = () => form.elements.namedItem('draftVersion') as HTMLInputElement | null;

  // ── Autosave ──────────────────────────────────────────────────────────────────────────────────
  const autosave = useMemo(
    () =>
      new Autosave({
        collect: () => {
          const v = Number(draftVersionInput()?.value);
          return autosavePayload(new FormData(form), Number.isSafeInteger(v) ? v : -1);
        },
        contentRevision: () => contentRevision.current,
        post: async (payload) => {
          try {
            const res = await fetch(autosaveUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, credentials: 'same-origin', body: JSON.stringify(payload) });
            return { status: res.status, json: await res.json().catch(() => null) };
          } catch {
            return { status: 0, json: null };
          }
        },
        saved: ({ draftVersion, body, sentBody }) => {
          const input = draftVersionInput();
          if (input) input.value = String(draftVersion);
          if (body !== null) showServerBody(sentBody, body);
        },
        onState: (s) => {
          setSaveState(s);
          if (s.kind === 'conflict' || s.kind === 'failed') announce(`Not saved: ${s.message}`);
          if (s.kind === 'invalid') announce(`Not saved: ${s.message}${s.problems.length ? ` ${s.problems.length} problem${s.problems.length === 1 ? '' : 's'} listed below the editor.` : ''}`);
        },
        setTimer: (fn, ms) => window.setTimeout(fn, ms),
        clearTimer: (h) => window.clearTimeout(h as number),
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );
  useEffect(() => () => autosave.dispose(), [autosave]);

  /**
   * The server saved a body that differs from the one sent (it wrote card ids): write the ids into
   * the blocks in place when that is all, so the caret stays; otherwise load the server's text.
   */
  function showServerBody(sent: string, body: string) {
    const plan = saveReconcile(sent, body);
    if (plan.kind === 'none') return;
    if (plan.kind === 'ids' && writeIds(plan.ids)) return;
    applyingServer.current = true;
    try {
      editor.current?.setMarkdown(body);
    } finally {
      applyingServer.current = false;
    }
    textarea.value = body;
  }

  function writeIds(ids: BlockIds[]): boolean {
    const root = realm.current?.getValue(rootEditor$);
    if (!root) return false;
    let done = false;
    applyingServer.current = true;
    try {
      root.update(
        () => {
          const blocks = $getRoot()
            .getChildren()
            .filter(isJsxNode)
            .filter((n) => ['ProductCard', 'ShopTheLook'].includes(n.getMdastNode().name ?? ''));
          if (blocks.length !== ids.length || blocks.some((n, i) => n.getMdastNode().name !== ids[i]!.name)) return;
          blocks.forEach((n, i) => {
            const m = n.getMdastNode();
            const v = ids[i]!.ids;
            const change: AttrChange = v === null ? null : m.name === 'ProductCard' ? { expression: v } : v;
            n.setMdastNode({ ...m, attributes: setAttrs(m.attributes, { [m.name === 'ProductCard' ? 'card' : 'cards']: change }) });
          });
          done = true;
        },
        // Synchronous, so the change it causes is known as the server's; not an undo step.
        { discrete: true, tag: 'historic' },
      );
    } finally {
      applyingServer.current = false;
    }
    return done;
  }

  const onChange = (markdown: string, initialNormalize: boolean) => {
    if (initialNormalize) return; // MDXEditor re-wrote the loaded text; the writer changed nothing
    textarea.value = markdown;
    setMissingAlt(imagesWithoutAlt(markdown));
    if (applyingServer.current) return;
    contentRevision.current += 1;
    autosave.changed();
  };

  // ── The page around the editor: textarea, label, form fields, submit, leaving ──────────────────
  useEffect(() => {
    textarea.hidden = true;
    const label = form.querySelector<HTMLLabelElement>(`label[for="${CSS.escape(textarea.id)}"]`);
    if (label && !label.id) label.id = `${textarea.id}-label`;
    // The editable area takes the textarea's label and hints (it mounts a moment after this).
    const labelEditable = () => {
      const editable = container.querySelector<HTMLElement>('.pe-prose[contenteditable="true"]');
      if (!editable) return false;
      if (label) editable.setAttribute('aria-labelledby', label.id);
      const described = textarea.getAttribute('aria-describedby');
      if (described) editable.setAttribute('aria-describedby', described);
      return true;
    };
    const watcher = new MutationObserver(() => labelEditable() && watcher.disconnect());
    // The hint under the body is about MDX, for the plain box; the editor has buttons for all of it.
    const hint = document.getElementById(`${textarea.id}-hint`);
    const plainHint = hint?.innerHTML;
    if (hint) hint.textContent = 'Headings, lists, quotes, links and images are in the toolbar; “Product card”, “Shop the look” and “Callout” add shop blocks. The toolbar’s last buttons switch to the post’s MDX source and back.';
    // The page's heading follows the title as it is typed.
    const heading = document.querySelector<HTMLElement>('[data-post-title]');
    if (!labelEditable()) watcher.observe(container, { childList: true, subtree: true });
    const focusEditor = (e: Event) => {
      e.preventDefault();
      editor.current?.focus();
    };
    label?.addEventListener('click', focusEditor);
    // Error summaries link to the (now hidden) textarea: take them to the editor.
    const onLink = (e: MouseEvent) => {
      const a = (e.target as Element | null)?.closest?.('a[href]');
      if (a && a.getAttribute('href') === `#${textarea.id}`) {
        focusEditor(e);
        container.scrollIntoView({ block: 'start' });
      }
    };
    document.addEventListener('click', onLink);

    const isWatched = (t: EventTarget | null): boolean =>
      t instanceof Element && !container.contains(t) && 'name' in t && typeof t.name === 'string' && WATCHED.has(t.name);
    const onField = (e: Event) => {
      if (!isWatched(e.target)) return;
      if (heading && e.target instanceof HTMLInputElement && e.target.name === 'title') heading.textContent = e.target.value.trim() || 'Untitled draft';
      autosave.changed();
    };
    const onLeaveField = (e: FocusEvent) => {
      if (isWatched(e.target)) void autosave.flush();
    };
    const opensElsewhere = (submitter: HTMLElement | null) => {
      const target = (submitter?.getAttribute('formtarget') ?? form.target ?? '').toLowerCase();
      return target !== '' && target !== '_self';
    };
    const onSubmit = (e: SubmitEvent) => {
      // The editor's own buttons are type="button"; should one still submit, it is not a save.
      if (e.submitter && container.contains(e.submitter)) {
        e.preventDefault();
        return;
      }
      textarea.value = editor.current?.getMarkdown() ?? textarea.value;
      if (resubmitting.current) {
        resubmitting.current = false;
      } else if (cover.uploading()) {
        // The cover is still going up: wait, so the form sends its id and not the file again.
        e.preventDefault();
        const submitter = e.submitter;
        void cover.uploading()!.then(() => {
          form.requestSubmit(submitter instanceof HTMLButtonElement || submitter instanceof HTMLInputElement ? submitter : null);
        });
        return;
      } else if (autosave.saving) {
        // Wait for the autosave under way, so the form carries the draft version it got.
        e.preventDefault();
        const submitter = e.submitter;
        void autosave.settle().then(() => {
          resubmitting.current = true;
          form.requestSubmit(submitter instanceof HTMLButtonElement || submitter instanceof HTMLInputElement ? submitter : null);
        });
        return;
      } else {
        void autosave.settle();
      }
      if (opensElsewhere(e.submitter)) {
        // Preview opens in another tab: this page stays, and so does autosave. What the form just
        // saved is sent again at once, so this tab learns the draft version that save made (the
        // server answers a save of what it already holds with its version, not a conflict).
        setTimeout(() => void autosave.resync(), 0);
      } else {
        leaving.current = true;
      }
    };
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!autosave.dirty || leaving.current) return;
      e.preventDefault(); // the browser asks "Leave site?"
    };
    const onPageShow = (e: PageTransitionEvent) => {
      // Back to this page from the history: it is not being left any more.
      if (e.persisted) {
        leaving.current = false;
        autosave.resume();
      }
    };
    const cover = enhanceCoverUpload({ form, uploadUrl, onChange: () => autosave.changed(), announce });
    // With the editor, Preview opens in a new tab and this one keeps writing (resync below).
    const previewButtons = [...document.querySelectorAll<HTMLButtonElement>('button[data-preview-button]')].filter((b) => b.form === form);
    for (const b of previewButtons) b.formTarget = '_blank';
    form.addEventListener('input', onField);
    form.addEventListener('change', onField);
    form.addEventListener('focusout', onLeaveField);
    form.addEventListener('submit', onSubmit);
    window.addEventListener('beforeunload', onBeforeUnload);
    window.addEventListener('pageshow', onPageShow);
    return () => {
      textarea.hidden = false;
      watcher.disconnect();
      cover.dispose();
      for (const b of previewButtons) b.removeAttribute('formtarget');
      if (hint && plainHint !== undefined) hint.innerHTML = plainHint;
      label?.removeEventListener('click', focusEditor);
      document.removeEventListener('click', onLink);
      form.removeEventListener('input', onField);
      form.removeEventListener('change', onField);
      form.removeEventListener('focusout', onLeaveField);
      form.removeEventListener('submit', onSubmit);
      window.removeEventListener('beforeunload', onBeforeUnload);
      window.removeEventListener('pageshow', onPageShow);
    };
  }, [form, textarea, container, autosave, uploadUrl, announce]);

  // ── Uploads ───────────────────────────────────────────────────────────────────────────────────
  const upload: Uploader = useCallback(
    async (file) => {
      const body = new FormData();
      body.set('file', file);
      body.set('for', 'inline');
      try {
        const res = await fetch(uploadUrl, { method: 'POST', body, credentials: 'same-origin', headers: { accept: 'application/json' } });
        const json = (await res.json().catch(() => null)) as { ok?: boolean; message?: string; media?: { id?: string; src?: string } } | null;
        const id = json?.media?.id;
        if (!res.ok || json?.ok !== true || typeof id !== 'string' || !/^[A-Za-z0-9_-]{8,40}$/.test(id)) {
          return { ok: false, message: json?.message ?? 'The image could not be uploaded. Try again.' };
        }
        if (typeof json.media?.src === 'string') previews.current.set(id, json.media.src);
        // The post names the upload, not a file: the shop renders its sizes (ADR 0039).
        return { ok: true, src: `/media/${id}` };
      } catch {
        return { ok: false, message: 'No connection to the shop: the image was not uploaded.' };
      }
    },
    [uploadUrl],
  );

  // ── Inserting blocks ──────────────────────────────────────────────────────────────────────────
  /** The top-level block the writer is in (to insert after it), read when the picker opens. */
  const anchorKey = () => {
    const root = realm.current?.getValue(rootEditor$);
    return (
      root?.getEditorState().read(() => {
        const sel = $getSelection();
        const node = $isRangeSelection(sel) ? sel.anchor.getNode() : $isNodeSelection(sel) ? sel.getNodes()[0] : undefined;
        return node ? (node.getTopLevelElement() ?? node).getKey() : null;
      }) ?? null
    );
  };

  function insertBlock(block: MdxJsxFlowElement, after: string | null) {
    const r = realm.current;
    const root = r?.getValue(rootEditor$);
    if (!r || !root) return;
    let inserted: LexicalNode | null = null;
    root.update(
      () => {
        const nodes: LexicalNode[] = [];
        importMdastTreeToLexical({
          root: { append: (n) => nodes.push(n), getType: () => 'root' },
          mdastRoot: { type: 'root', children: [block] },
          visitors: r.getValue(importVisitors$),
          jsxComponentDescriptors: r.getValue(jsxComponentDescriptors$),
          directiveDescriptors: r.getValue(directiveDescriptors$),
          codeBlockEditorDescriptors: r.getValue(codeBlockEditorDescriptors$),
        });
        const node = nodes[0];
        if (!node) return;
        const anchor = after ? $getNodeByKey(after) : null;
        if (anchor && anchor.getParent() === $getRoot()) {
          // An empty line the writer was on becomes the block; otherwise the block goes after it.
          if ($isParagraphNode(anchor) && anchor.getTextContentSize() === 0) anchor.replace(node);
          else anchor.insertAfter(node);
        } else {
          $getRoot().append(node);
        }
        // Somewhere to go on writing after the block; the next block inserted goes there too.
        let next = node.getNextSibling();
        if (!$isElementNode(next)) {
          next = $createParagraphNode();
          node.insertAfter(next);
        }
        next.selectStart();
        inserted = node;
      },
      {
        onUpdate: () => {
          const key = (inserted as LexicalNode | null)?.getKey();
          if (key) focusBlock(key);
        },
      },
    );
  }

  /**
   * A new block takes the focus once its editor has mounted (a few frames): a Callout's text, or
   * the first button of a card's or look's bar.
   */
  function focusBlock(key: string, tries = 20) {
    const el = realm.current?.getValue(rootEditor$)?.getElementByKey(key);
    const target = el?.querySelector<HTMLElement>('.pe-callout__body [contenteditable="true"]') ?? el?.querySelector<HTMLElement>('.pe-block__bar button:not(:disabled)');
    if (target) target.focus();
    else if (tries > 0) requestAnimationFrame(() => focusBlock(key, tries - 1));
  }

  const openPicker: StudioEditorContext['openPicker'] = useCallback((request, onPick, from) => {
    setPicker({ request, onPick, from: from ?? null });
  }, []);

  /** Closes the picker; focus goes back to the button that opened it (a new block takes it itself). */
  const closePicker = (restoreFocus: boolean) => {
    const from = picker?.from;
    setPicker(null);
    if (!restoreFocus) return;
    requestAnimationFrame(() => {
      if (from?.isConnected) from.focus();
      else editor.current?.focus();
    });
  };

  const insertFromToolbar = (mode: 'card' | 'look' | 'callout', from: HTMLElement | null) => {
    const after = anchorKey();
    if (mode === 'callout') {
      insertBlock(jsxElement('Callout', {}, [{ type: 'paragraph', children: [] }]), after);
      announce('Callout added. Write its text; its title and kind are above it.');
      return;
    }
    openPicker(
      { mode, action: 'insert' },
      (r) => {
        if (r.mode === 'card') {
          insertBlock(jsxElement('ProductCard', productCardJsx(r)), after);
          announce(`Product card for ${r.name} added.`);
        } else {
          insertBlock(jsxElement('ShopTheLook', lookJsx(r)), after);
          announce(`Shop the look with ${r.products.length} products added.`);
        }
      },
      from,
    );
  };

  // ── The editor ────────────────────────────────────────────────────────────────────────────────
  const plugins = useMemo(
    () => [
      headingsPlugin({ allowedHeadingLevels: [2, 3, 4] }),
      listsPlugin(),
      quotePlugin(),
      linkPlugin({ validateUrl: linkAllowed }),
      linkDialogPlugin(),
      imagePlugin({
        imageUploadHandler: async (file: File) => {
          // Pasted or dropped images: uploaded at once; they still need a description (see below the editor).
          const r = await upload(file);
          if (!r.ok) {
            announce(`The image was not added: ${r.message}`);
            throw new Error(r.message);
          }
          return r.src;
        },
        imagePreviewHandler: async (src: string) => {
          const m = MEDIA_SRC.exec(src);
          if (!m) return src;
          // An upload of this visit shows its own rendition; an older one its smallest standard width.
          return previews.current.get(m[1]!) ?? `${src}/480.webp`;
        },
        ImageDialog: makeImageDialog(upload),
        disableImageResize: true,
        allowSetImageDimensions: false,
      }),
      thematicBreakPlugin(),
      codeBlockPlugin({ codeBlockEditorDescriptors: [{ priority: -10, match: () => true, Editor: PlainCodeEditor }] }),
      jsxPlugin({ jsxComponentDescriptors: SHOP_BLOCK_DESCRIPTORS, allowFragment: false }),
      nestedEditorSyncPlugin(),
      markdownShortcutPlugin(),
      // The compiler's limit (src/server/content/studio-mdx.ts STUDIO_MDX_LIMITS.maxChars).
      maxLengthPlugin(100_000),
      diffSourcePlugin({ viewMode: 'rich-text' }),
      toolbarPlugin({
        toolbarClassName: 'pe-toolbar',
        toolbarContents: () => (
          <Toolbar
            onRealm={(x) => {
              realm.current = x;
              if (pendingSourceView.current) x.pub(viewMode$, 'source');
              pendingSourceView.current = false;
            }}
            onInsert={insertFromToolbar}
          />
        ),
      }),
    ],
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [],
  );

  const context = useMemo<StudioEditorContext>(() => ({ cardPreviewUrl, openPicker, announce }), [cardPreviewUrl, openPicker, announce]);

  return (
    <StudioContext.Provider value={context}>
      <div className="pe-shell">
        <MDXEditor
          ref={editor}
          className="pe-editor"
          contentEditableClassName="pe-prose"
          markdown={initial}
          plugins={plugins}
          translation={translate}
          toMarkdownOptions={{ bullet: '-', rule: '-' }}
          onChange={onChange}
          onBlur={() => void autosave.flush()}
          onError={({ error }) => {
            // Text the editor cannot show as rich text: open the source view, where it can be fixed.
            if (realm.current) realm.current.pub(viewMode$, 'source');
            else pendingSourceView.current = true;
            announce(`Part of the post cannot be shown in the editor (${error}). It is open as MDX source.`);
          }}
        />
        <SaveStatus state={saveState} missingAlt={missingAlt} />
        <div className="visually-hidden" aria-live="polite" aria-atomic="true">
          {spoken}
        </div>
      </div>
      {picker &&
        createPortal(
          <ProductPicker
            request={picker.request}
            searchUrl={productSearchUrl}
            previewUrl={cardPreviewUrl}
            onClose={() => closePicker(true)}
            onPick={(r) => {
              const run = picker.onPick;
              closePicker(picker.request.action === 'change');
              run(r);
            }}
          />,
          document.body,
        )}
    </StudioContext.Provider>
  );
}

/** "Saving…", "Saved at 10:42", "Not saved: …", and what the server found wrong. */
function SaveStatus({ state, missingAlt }: { state: SaveState; missingAlt: number }) {
  const line =
    state.kind === 'saving'
      ? 'Saving…'
      : state.kind === 'saved'
        ? savedAtLabel(state.at)
        : state.kind === 'dirty'
          ? 'Unsaved changes'
          : state.kind === 'idle'
            ? 'Changes save by themselves.'
            : `Not saved: ${state.message}`;
  const bad = state.kind === 'conflict' || state.kind === 'failed' || state.kind === 'invalid';
  return (
    <div className="pe-footer">
      <p className={`pe-status${bad ? ' pe-status--bad' : ''}`}>{line}</p>
      {missingAlt > 0 && (
        <p className="pe-hint">
          {missingAlt === 1 ? 'One image has' : `${missingAlt} images have`} no description yet — select the image and use its settings button. Publishing needs one for each.
        </p>
      )}
      <div className="pe-problems" aria-live="polite">
        {state.kind === 'conflict' && <p>Autosave is off for this page. Copy anything you want to keep, then reload the page to continue from the version saved elsewhere.</p>}
        {state.kind === 'invalid' && (state.problems.length > 0 || Object.keys(state.fieldErrors).length > 0) && (
          <ul>
            {Object.entries(state.fieldErrors)
              .filter(([f]) => f !== 'body' || state.problems.length === 0)
              .map(([f, m]) => (
                <li key={f}>
                  {FIELD_LABEL[f] ?? 'Form'}: {m}
                </li>
              ))}
            {state.problems.map((p, i) => (
              <li key={i}>{/^Line \d/.test(p.message) ? p.message : `Line ${p.line}, column ${p.column}: ${p.message}`}</li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

const BLOCK_TYPES: { type: BlockType; label: string; name: string }[] = [
  { type: 'paragraph', label: 'Text', name: 'Paragraph' },
  { type: 'h2', label: 'H2', name: 'Heading 2' },
  { type: 'h3', label: 'H3', name: 'Heading 3' },
  { type: 'h4', label: 'H4', name: 'Heading 4' },
  { type: 'quote', label: 'Quote', name: 'Quote' },
];

/** The toolbar, inside MDXEditor (its realm): Markdown tools, the shop blocks, the source view. */
function Toolbar({ onRealm, onInsert }: { onRealm: (realm: Realm) => void; onInsert: (mode: 'card' | 'look' | 'callout', from: HTMLElement | null) => void }) {
  const realm = useRealm();
  const blockType = useCellValue(currentBlockType$);
  const applyBlockType = usePublisher(applyBlockType$);
  useEffect(() => onRealm(realm), [realm, onRealm]);
  return (
    <DiffSourceToggleWrapper options={['rich-text', 'source']}>
      <UndoRedo />
      <Separator />
      <div className="pe-toolbar__group" role="group" aria-label="Paragraph style">
        {BLOCK_TYPES.map((b) => (
          <Button key={b.type} className="pe-tool" aria-pressed={blockType === b.type} aria-label={b.name} title={b.name} onClick={() => applyBlockType(b.type)}>
            {b.label}
          </Button>
        ))}
      </div>
      <Separator />
      <BoldItalicUnderlineToggles options={['Bold', 'Italic']} />
      <ListsToggle options={['bullet', 'number']} />
      <CreateLink />
      <InsertImage />
      <InsertThematicBreak />
      <Separator />
      <div className="pe-toolbar__group" role="group" aria-label="Shop blocks">
        <Button className="pe-tool pe-tool--text" onClick={(e) => onInsert('card', e.currentTarget)}>
          Product card
        </Button>
        <Button className="pe-tool pe-tool--text" onClick={(e) => onInsert('look', e.currentTarget)}>
          Shop the look
        </Button>
        <Button className="pe-tool pe-tool--text" onClick={(e) => onInsert('callout', e.currentTarget)}>
          Callout
        </Button>
      </div>
    </DiffSourceToggleWrapper>
  );
}

/** Fenced code (a guide may show syntax): plain text, no highlighting to download. */
function PlainCodeEditor({ code, language }: CodeBlockEditorProps) {
  const { setCode } = useCodeBlockEditorContext();
  const stop = (e: { stopPropagation: () => void }) => e.stopPropagation();
  return (
    <div className="pe-code" onKeyDown={stop} onPaste={stop} onCut={stop} onCopy={stop} onInput={stop}>
      <textarea
        aria-label={`Code${language ? ` (${language})` : ''}`}
        defaultValue={code}
        spellCheck={false}
        rows={Math.min(16, Math.max(3, code.split('\n').length + 1))}
        onChange={(e) => setCode(e.target.value)}
      />
    </div>
  );
}
