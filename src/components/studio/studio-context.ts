/**
 * What the shop blocks inside the editor need from the island around them: where card previews
 * come from, the product picker, and the editor's polite live region. Lexical renders the blocks
 * through React portals inside MDXEditor, so React context reaches them.
 */
import { createContext, useContext } from 'react';

export type PickerRequest =
  | { mode: 'card'; action: 'insert' | 'change'; product?: string; variant?: string }
  | { mode: 'look'; action: 'insert' | 'change'; products?: string[]; title?: string };

export type PickerResult =
  | { mode: 'card'; product: string; variant?: string; name: string }
  | { mode: 'look'; products: string[]; title?: string };

export interface StudioEditorContext {
  cardPreviewUrl: string;
  /** Opens the product picker; `onPick` runs when the writer inserts; focus returns to `from` after. */
  openPicker: (request: PickerRequest, onPick: (result: PickerResult) => void, from?: HTMLElement | null) => void;
  /** Says something in the editor's polite live region ("Product card moved up."). */
  announce: (message: string) => void;
}

export const StudioContext = createContext<StudioEditorContext | null>(null);

export function useStudio(): StudioEditorContext {
  const ctx = useContext(StudioContext);
  if (!ctx) throw new Error('Shop blocks render inside PostEditor only');
  return ctx;
}
