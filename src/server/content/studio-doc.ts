/**
 * The document a studio post is stored and rendered as (docs/decisions/0039-mdx-allow-list.md).
 *
 * A creator's MDX is parsed, checked against the allow-list and turned into this tree of plain
 * data — it is never compiled to JavaScript. Prose becomes HTML built from the parsed Markdown by
 * our own code (no raw HTML ever passes through), and the shop blocks become props for the same
 * components file posts use.
 */
export type CalloutTone = 'note' | 'tip' | 'warning';

export type StudioBlock =
  /** Sanitised HTML of consecutive Markdown blocks (headings, paragraphs, lists, quotes, images). */
  | { type: 'html'; html: string }
  | { type: 'card'; product: string; variant?: string; card: number }
  /** One card id per product, in order. */
  | { type: 'look'; products: string[]; title?: string; cards: number[] }
  | { type: 'callout'; title?: string; tone?: CalloutTone; children: StudioBlock[] };

export interface StudioDoc {
  blocks: StudioBlock[];
}

/** An uploaded image as the compiler needs it (from src/server/media). */
export interface MediaInfo {
  id: string;
  width: number;
  height: number;
  /** Rendered widths, ascending. */
  widths: number[];
}

/** A problem in a creator's post, where it is (1-based line and column) and what to do, in words. */
export interface MdxProblem {
  line: number;
  column: number;
  message: string;
}
