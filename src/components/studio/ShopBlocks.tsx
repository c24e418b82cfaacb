/**
 * The editors of the three blocks a post may hold (docs/decisions/0039-mdx-allow-list.md), for
 * MDXEditor's jsxPlugin. Each shows the block as readers will see it — the real card from our
 * server for ProductCard and ShopTheLook, the callout's look for Callout — with buttons to move it
 * up or down among the post's blocks, change its product(s) through the picker, or remove it. No
 * prop can be typed freely: products come from the picker; a look's and a callout's title and a
 * callout's tone have their own fields. `card` / `cards` (the server's stable ids) are kept as
 * they are unless the product changes.
 *
 * Key presses in the block's own controls stop at the block: the editor around it would read
 * Enter or Backspace as editing the post (and delete the block).
 */
import { useEffect, useId, useRef, useState, type ReactNode, type SyntheticEvent } from 'react';
import {
  addNestedEditorChild$,
  NESTED_EDITOR_UPDATED_COMMAND,
  NestedLexicalEditor,
  realmPlugin,
  useLexicalNodeRemove,
  useMdastNodeUpdater,
  useNestedEditorContext,
  type JsxComponentDescriptor,
  type JsxEditorProps,
} from '@mdxeditor/editor';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $getNodeByKey } from 'lexical';
import type { RootContent } from 'mdast';
import type { MdxJsxFlowElement, MdxJsxTextElement } from 'mdast-util-mdx';
import CardPreview from './CardPreview.tsx';
import {
  CALLOUT_TONES,
  cardPreviewHref,
  lookChanges,
  productCardChanges,
  readCallout,
  readLook,
  readProductCard,
  setAttrs,
  slugWords,
  type CalloutTone,
} from './editor-model.ts';
import { useStudio } from './studio-context.ts';

type Jsx = MdxJsxFlowElement | MdxJsxTextElement;

const stop = (e: SyntheticEvent) => e.stopPropagation();
/** Handlers that keep key presses, typing and clipboard in the block's controls out of the editor. */
const contained = { onKeyDown: stop, onKeyUp: stop, onBeforeInput: stop, onInput: stop, onPaste: stop, onCut: stop, onCopy: stop };

/** Whether the block is first or last among the post's blocks (to disable Move up/down). */
function usePlace(): { first: boolean; last: boolean } {
  const { parentEditor, lexicalNode } = useNestedEditorContext();
  const key = lexicalNode.getKey();
  const read = () =>
    parentEditor.getEditorState().read(() => {
      const n = $getNodeByKey(key);
      return { first: !n?.getPreviousSibling(), last: !n?.getNextSibling() };
    });
  const [place, setPlace] = useState(read);
  useEffect(
    () =>
      parentEditor.registerUpdateListener(() => {
        const p = read();
        setPlace((old) => (old.first === p.first && old.last === p.last ? old : p));
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [parentEditor, key],
  );
  return place;
}

/** The bar every block has: its kind, Move up / Move down, the block's own actions, Remove. */
function BlockBar({ kind, label, takeFocus = true, children }: { kind: string; label: string; takeFocus?: boolean; children?: ReactNode }) {
  const { parentEditor, lexicalNode, focusEmitter } = useNestedEditorContext();
  const remove = useLexicalNodeRemove();
  const { announce } = useStudio();
  const place = usePlace();
  const up = useRef<HTMLButtonElement>(null);
  const down = useRef<HTMLButtonElement>(null);
  const bar = useRef<HTMLDivElement>(null);

  // Arrowing onto the block (or inserting it) selects it: its first control takes the focus. The
  // node has one focus listener; a Callout leaves it to its text (NestedLexicalEditor).
  useEffect(() => {
    if (!takeFocus) return;
    let live = true;
    focusEmitter.subscribe(() => {
      if (live) bar.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    });
    return () => {
      live = false;
    };
  }, [focusEmitter, takeFocus]);

  const move = (dir: -1 | 1) => {
    const button = dir < 0 ? up.current : down.current;
    parentEditor.update(
      () => {
        const n = $getNodeByKey(lexicalNode.getKey());
        const sibling = dir < 0 ? n?.getPreviousSibling() : n?.getNextSibling();
        if (!n || !sibling) return;
        if (dir < 0) sibling.insertBefore(n);
        else sibling.insertAfter(n);
      },
      {
        onUpdate: () => {
          // Lexical moved the block's element, which drops the focus: give it back to the same button.
          (button && !button.disabled ? button : bar.current?.querySelector<HTMLButtonElement>('button:not(:disabled)'))?.focus();
          announce(`${label} moved ${dir < 0 ? 'up' : 'down'}.`);
        },
      },
    );
  };

  return (
    <div className="pe-block__bar" ref={bar} {...contained}>
      <span className="pe-block__kind" aria-hidden="true">{kind}</span>
      <div className="pe-block__actions">
        <button type="button" className="pe-btn" ref={up} disabled={place.first} onClick={() => move(-1)}>
          Move up
        </button>
        <button type="button" className="pe-btn" ref={down} disabled={place.last} onClick={() => move(1)}>
          Move down
        </button>
        {children}
        <button
          type="button"
          className="pe-btn pe-btn--danger"
          onClick={() => {
            remove();
            announce(`${label} removed. Undo brings it back.`);
          }}
        >
          Remove
        </button>
      </div>
    </div>
  );
}

/** A one-line text prop (a title) edited in place; written into the block when the field is left. */
function TitleField({ label, value, placeholder, onCommit }: { label: string; value: string; placeholder?: string; onCommit: (v: string) => void }) {
  const id = useId();
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const commit = () => {
    if (draft.trim() !== value.trim()) onCommit(draft.trim());
  };
  return (
    <div className="pe-field" {...contained}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        maxLength={80}
        value={draft}
        placeholder={placeholder}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Enter') {
            e.preventDefault(); // never submits the post form
            commit();
          }
        }}
      />
    </div>
  );
}

export function ProductCardEditor({ mdastNode }: JsxEditorProps) {
  const node = mdastNode as Jsx;
  const props = readProductCard(node);
  const update = useMdastNodeUpdater<Jsx>();
  const { cardPreviewUrl, openPicker } = useStudio();
  const [name, setName] = useState<string | null>(null);
  const title = name ?? (props.product ? slugWords(props.product) : 'No product yet');
  const label = `Product card: ${title}`;
  return (
    <div className="pe-block pe-block--card" role="group" aria-label={label}>
      <BlockBar kind="Product card" label="Product card">
        <button
          type="button"
          className="pe-btn"
          onClick={(e) =>
            openPicker(
              { mode: 'card', action: 'change', product: props.product, ...(props.variant ? { variant: props.variant } : {}) },
              (r) => r.mode === 'card' && update({ attributes: setAttrs(node.attributes, productCardChanges(r)) }),
              e.currentTarget,
            )
          }
        >
          Change product
        </button>
      </BlockBar>
      {props.product ? (
        <>
          <p className="visually-hidden">
            {/* Not the variant's SKU: a stock code means nothing to the writer. */}
            Shows {title}
            {props.variant ? ', in the option you chose,' : ''} as readers will see it.
          </p>
          <CardPreview url={cardPreviewHref(cardPreviewUrl, props.product, props.variant)} onName={setName} />
        </>
      ) : (
        <p className="pe-block__note">This card has no product yet — choose one with “Change product”.</p>
      )}
    </div>
  );
}

export function ShopTheLookEditor({ mdastNode }: JsxEditorProps) {
  const node = mdastNode as Jsx;
  const look = readLook(node);
  const update = useMdastNodeUpdater<Jsx>();
  const { cardPreviewUrl, openPicker } = useStudio();
  return (
    <div className="pe-block pe-block--look" role="group" aria-label={`Shop the look: ${look.title ?? 'Shop the look'}, ${look.products.length} products`}>
      <BlockBar kind="Shop the look" label="Shop the look">
        <button
          type="button"
          className="pe-btn"
          onClick={(e) =>
            openPicker(
              { mode: 'look', action: 'change', products: look.products, ...(look.title !== undefined ? { title: look.title } : {}) },
              (r) => r.mode === 'look' && update({ attributes: setAttrs(node.attributes, lookChanges(r)) }),
              e.currentTarget,
            )
          }
        >
          Change products
        </button>
      </BlockBar>
      <TitleField
        label="Title of the look"
        value={look.title ?? ''}
        placeholder="Shop the look"
        onCommit={(title) => update({ attributes: setAttrs(node.attributes, { title: title === '' ? null : title }) })}
      />
      {look.products.length === 0 ? (
        <p className="pe-block__note">This look has no products yet — choose them with “Change products”.</p>
      ) : (
        <>
          <p className="visually-hidden">Shows {look.products.map(slugWords).join(', ')} as readers will see them.</p>
          <div className="pe-look__grid">
            {look.products.map((slug, i) => (
              <CardPreview key={`${slug}-${i}`} url={cardPreviewHref(cardPreviewUrl, slug)} compact />
            ))}
          </div>
        </>
      )}
    </div>
  );
}

const TONE_LABEL: Record<CalloutTone, string> = { note: 'Note', tip: 'Tip', warning: 'Warning' };

export function CalloutEditor({ mdastNode }: JsxEditorProps) {
  const node = mdastNode as Jsx;
  const { title, tone } = readCallout(node);
  const update = useMdastNodeUpdater<Jsx>();
  const toneId = useId();
  return (
    <div className={`pe-block pe-block--callout pe-callout pe-callout--${tone}`} role="group" aria-label={`Callout${title ? `: ${title}` : ''}`}>
      <BlockBar kind="Callout" label="Callout" takeFocus={false} />
      <div className="pe-callout__fields">
        <TitleField label="Callout title (optional)" value={title ?? ''} placeholder="Fit note" onCommit={(t) => update({ attributes: setAttrs(node.attributes, { title: t === '' ? null : t }) })} />
        <div className="pe-field" {...contained}>
          <label htmlFor={toneId}>Kind</label>
          <select
            id={toneId}
            value={tone}
            onChange={(e) => update({ attributes: setAttrs(node.attributes, { tone: e.target.value === 'note' ? null : e.target.value }) })}
          >
            {CALLOUT_TONES.map((t) => (
              <option key={t} value={t}>
                {TONE_LABEL[t]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {title && <p className="pe-callout__title" aria-hidden="true">{title}</p>}
      <div className="pe-callout__body">
        <NestedLexicalEditor<Jsx>
          block={node.type === 'mdxJsxFlowElement'}
          getContent={(n) => n.children as RootContent[]}
          getUpdatedMdastNode={(n, children) => ({ ...n, children }) as Jsx}
          contentEditableProps={{ 'aria-label': 'Callout text' } as never}
        />
      </div>
    </div>
  );
}

/** The three components a post may use, with the props each keeps; nothing else is offered. */
export const SHOP_BLOCK_DESCRIPTORS: JsxComponentDescriptor[] = [
  {
    name: 'ProductCard',
    kind: 'flow',
    props: [
      { name: 'product', type: 'string', required: true },
      { name: 'variant', type: 'string' },
      { name: 'card', type: 'expression' },
    ],
    hasChildren: false,
    Editor: ProductCardEditor,
  },
  {
    name: 'ShopTheLook',
    kind: 'flow',
    props: [
      { name: 'products', type: 'expression', required: true },
      { name: 'title', type: 'string' },
      { name: 'cards', type: 'string' },
    ],
    hasChildren: false,
    Editor: ShopTheLookEditor,
  },
  {
    name: 'Callout',
    kind: 'flow',
    props: [
      { name: 'title', type: 'string' },
      { name: 'tone', type: 'string' },
    ],
    hasChildren: true,
    Editor: CalloutEditor,
  },
];

/**
 * MDXEditor writes a nested editor's text (a Callout's) into the post only when it loses focus.
 * This child of every nested editor also does it shortly after typing stops, so the hidden body
 * field, autosave and the leave warning see what is being written in a Callout.
 */
function NestedEditorSync() {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    let timer: number | undefined;
    const off = editor.registerUpdateListener(({ dirtyElements, dirtyLeaves }) => {
      if (dirtyElements.size === 0 && dirtyLeaves.size === 0) return; // the caret moved, nothing else
      window.clearTimeout(timer);
      timer = window.setTimeout(() => editor.dispatchCommand(NESTED_EDITOR_UPDATED_COMMAND, undefined), 400);
    });
    return () => {
      window.clearTimeout(timer);
      off();
    };
  }, [editor]);
  return null;
}

export const nestedEditorSyncPlugin = realmPlugin({
  init(realm) {
    realm.pub(addNestedEditorChild$, NestedEditorSync);
  },
});
