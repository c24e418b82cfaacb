/**
 * Workflows of the shop admin's product pages (docs/decisions/0043-product-admin.md): create and
 * edit a product (the form, its variant grid), archive / unarchive, the gallery (upload through the
 * media pipeline, alt text, reorder, remove) and brands and categories (create, rename, merge).
 *
 * The middleware lets only admins into /admin; each workflow checks the role again, so a script or
 * a future route cannot skip it. Refusals are values with messages for people; a refused request
 * writes nothing.
 */
import type { SessionUser } from '../auth/index.ts';
import {
  addProductImage,
  archiveProduct,
  createProduct,
  createTaxonomy,
  getAdminProduct,
  mergeTaxonomy,
  moveProductImage,
  parseAxisValues,
  parseColourValues,
  parseProductForm,
  postedRows,
  regridRows,
  removeProductImage,
  renameTaxonomy,
  rowsOf,
  setProductImageAlt,
  unarchiveProduct,
  updateProduct,
  altProblem,
  variantGrid,
  type CoverSrc,
  type PostedRow,
  type TaxonomyKind,
} from '../catalog/index.ts';
import { compileStudioMdx, type StudioDoc } from '../content/index.ts';
import { getMediaInfo, mediaImage, saveUpload } from '../media/index.ts';
import { httpStatus, refuse, type FieldErrors, type Refusal } from '../shared/index.ts';
import type { App } from './app.ts';
import { sendDueAlerts } from './wishlist.ts';

type FormLike = { get(name: string): FormDataEntryValue | null };
type Admin = Pick<SessionUser, 'id' | 'role'> | null | undefined;

const NOT_ADMIN = 'Only the shop admin can change products. Sign in as the admin.';
function notAdmin(user: Admin): Refusal<'not_allowed'> | null {
  return user?.role === 'admin' ? null : refuse('not_allowed', NOT_ADMIN);
}

// ─── Description: the studio's allow-list, no shop blocks ───────────────────────────────────────

const SHOP_BLOCK = /<\s*(ProductCard|ShopTheLook|Callout)\b/;

/**
 * The message for a product description, or null when it is fine: Markdown under the studio's
 * allow-list (ADR 0039) — headings, lists, links, emphasis — and no shop blocks (a product's page
 * is not a post: no cards inside it).
 * @example checkProductDescription('Soft **linen**.') // null
 * @example checkProductDescription('<ProductCard product="tee" />') // 'A product description cannot hold shop blocks …'
 */
export function checkProductDescription(markdown: string): string | null {
  if (SHOP_BLOCK.test(markdown)) return 'A product description cannot hold shop blocks (ProductCard, ShopTheLook, Callout): use text, headings, lists and links.';
  const r = compileStudioMdx(markdown, { nextCard: 0, media: () => undefined });
  if (!r.ok) {
    const first = r.problems[0]?.message ?? 'This description cannot be read.';
    return first.replace(/\bin a post\b/g, 'in a description').replace(/\bposts can use\b/g, 'descriptions can use').replace(/\ba post\b/g, 'a description');
  }
  if (r.refs.length > 0 || r.doc.blocks.some((b) => b.type !== 'html')) return 'A product description cannot hold shop blocks (ProductCard, ShopTheLook, Callout): use text, headings, lists and links.';
  return null;
}

/** The description as safe HTML for the product page (null: empty or not readable — shown as text). */
export function productDescriptionHtml(markdown: string): string | null {
  if (!markdown.trim()) return null;
  const r = compileStudioMdx(markdown, { nextCard: 0, media: () => undefined });
  if (!r.ok) return null;
  const doc: StudioDoc = r.doc;
  return doc.blocks.map((b) => (b.type === 'html' ? b.html : '')).join('');
}

// ─── The product form ───────────────────────────────────────────────────────────────────────────

/** The form's product fields as typed (strings), for rendering it again. */
export const PRODUCT_FORM_FIELDS = ['title', 'slug', 'description', 'brandId', 'categoryId', 'tags', 'seoTitle', 'seoDescription', 'sizes', 'colours'] as const;
export type ProductFormValues = Record<(typeof PRODUCT_FORM_FIELDS)[number], string> & { active: boolean };

export const EMPTY_PRODUCT_FORM: ProductFormValues = { title: '', slug: '', description: '', brandId: '', categoryId: '', tags: '', seoTitle: '', seoDescription: '', sizes: '', colours: '', active: true };

export type ProductFormOutcome =
  | { kind: 'done'; id: number; redirectTo: string }
  | { kind: 'form'; status: number; message: string | null; errors: FieldErrors; values: ProductFormValues; rows: PostedRow[]; refusal?: Refusal };

function valuesOf(form: FormLike): ProductFormValues {
  const v = { ...EMPTY_PRODUCT_FORM };
  for (const k of PRODUCT_FORM_FIELDS) {
    const x = form.get(k);
    v[k] = typeof x === 'string' ? x.slice(0, k === 'description' ? 20_000 : 2_000) : '';
  }
  v.active = form.get('active') === 'on' || form.get('active') === '1';
  return v;
}

/** The product is saved whatever happens here: a failed alert check is left to the sweeper (it retries). */
async function sendDueAlertsSafely(app: App, productId: number, now: number): Promise<void> {
  try {
    await sendDueAlerts(app, { productIds: [productId], now });
  } catch (err) {
    console.error('alert check after a product save failed; the sweeper will retry', err);
  }
}

export const adminProductHref = (id: number, query = '') => `/admin/products/${id}${query ? `?${query}` : ''}`;

/**
 * The create (id null) or edit form's POST. `intent=grid` regenerates the variant grid from the
 * axes (no write); `intent=save` validates and writes.
 */
export async function saveProductForm(app: App, { user, id, form, now = Date.now() }: { user: Admin; id: number | null; form: FormLike | null; now?: number }): Promise<ProductFormOutcome> {
  const values = form ? valuesOf(form) : { ...EMPTY_PRODUCT_FORM };
  const posted = form ? postedRows(form) : [];
  const sizes = parseAxisValues(values.sizes);
  const colours = parseColourValues(values.colours).names;
  const denied = notAdmin(user);
  // A combination that comes back onto the axes brings back the variant that had it (its SKU,
  // prices and stock), rather than a blank row whose SKU would clash with it.
  const retired = id !== null && !denied ? rowsOf((await getAdminProduct(app.db, id, now))?.variants.filter((v) => v.retired) ?? [], { fractionDigits: app.fmt.fractionDigits }) : [];
  const regrid = () => (variantGrid(sizes, colours).length <= 100 ? regridRows(sizes, colours, [...posted, ...retired]) : posted);
  if (denied) return { kind: 'form', status: 403, message: denied.message, errors: {}, values, rows: posted, refusal: denied };
  if (!form) return { kind: 'form', status: 400, message: 'The form could not be read. Try again.', errors: {}, values, rows: posted };

  if (form.get('intent') === 'grid') {
    const rows = regrid();
    return { kind: 'form', status: 200, message: `The variant grid has ${rows.length} ${rows.length === 1 ? 'row' : 'rows'} for these options: fill in the new ones, then save.`, errors: {}, values, rows };
  }

  const parsed = parseProductForm(form, { fractionDigits: app.fmt.fractionDigits, checkDescription: checkProductDescription });
  if (!parsed.ok) {
    const rows = parsed.fieldErrors.variants ? regrid() : posted;
    return { kind: 'form', status: 400, message: 'Nothing was saved: fix the highlighted fields.', errors: parsed.fieldErrors, values, rows };
  }
  const r = id === null ? await createProduct(app.db, parsed.value, { now }) : await updateProduct(app.db, id, parsed.value, { now });
  if (r.ok) {
    // Stock back or a lower price: the alerts waiting on this product go out now, not at the next sweep.
    if (id !== null) await sendDueAlertsSafely(app, r.product.id, now);
    return { kind: 'done', id: r.product.id, redirectTo: adminProductHref(r.product.id, id === null ? 'done=created' : 'done=saved') };
  }

  let rows = posted;
  if (r.reason === 'stock_changed' && id !== null) {
    // The retry is checked against the shelf as it is now (the admin has been told the new number).
    const fresh = await getAdminProduct(app.db, id, now);
    rows = posted.map((row) => {
      const v = fresh?.variants.find((x) => String(x.id) === row.id);
      return v ? { ...row, stockWas: String(v.stockOnHand) } : row;
    });
  }
  return { kind: 'form', status: httpStatus(r), message: r.message, errors: r.fieldErrors ?? {}, values, rows, refusal: r };
}

export type ProductActionOutcome = { kind: 'done'; redirectTo: string } | { kind: 'refused'; refusal: Refusal };

/** Archive or unarchive from the edit page. */
export async function setProductArchived(app: App, { user, id, archived, now = Date.now() }: { user: Admin; id: number; archived: boolean; now?: number }): Promise<ProductActionOutcome> {
  const denied = notAdmin(user);
  if (denied) return { kind: 'refused', refusal: denied };
  const r = archived ? await archiveProduct(app.db, id, { now }) : await unarchiveProduct(app.db, id, { now });
  if (!r.ok) return { kind: 'refused', refusal: r };
  return { kind: 'done', redirectTo: adminProductHref(id, archived ? 'done=archived' : 'done=unarchived') };
}

// ─── The gallery ────────────────────────────────────────────────────────────────────────────────

/** The cover of a product is its first gallery image's default rendition (mediaImage().src). */
const coverSrc: CoverSrc = async (tx, mediaId) => {
  const info = (await getMediaInfo(tx, [mediaId], { anyOwner: true })).get(mediaId);
  return info ? mediaImage(info).src : null;
};

/** Stores an uploaded image (the media pipeline: sniffed, limits, metadata stripped) and adds it to the gallery. */
export async function addProductImageUpload(
  app: App,
  { user, productId, bytes, alt, now = Date.now() }: { user: Admin; productId: number; bytes: Uint8Array; alt: string; now?: number },
): Promise<{ ok: true } | Refusal> {
  const denied = notAdmin(user);
  if (denied) return denied;
  const p = altProblem(alt);
  if (p) return refuse('invalid', p, { alt: p });
  if (!(await getAdminProduct(app.db, productId, now))) return refuse('not_found', 'That product no longer exists.');
  const saved = await saveUpload(app.db, { bytes, ownerCreatorId: null, uploadedByUserId: user!.id, now });
  if (!saved.ok) return saved;
  const r = await addProductImage(app.db, productId, { mediaId: saved.media.id, alt }, coverSrc);
  return r.ok ? { ok: true } : r;
}

/** The gallery's small forms: action=move (dir up|down), alt, remove — each with `image`. */
export async function runProductImageAction(app: App, { user, productId, form }: { user: Admin; productId: number; form: FormLike | null }): Promise<{ ok: true; done: string } | Refusal> {
  const denied = notAdmin(user);
  if (denied) return denied;
  const image = String(form?.get('image') ?? '');
  if (!/^\d{1,9}$/.test(image)) return refuse('invalid', 'The form is out of date: reload the page and try again.');
  const imageId = Number(image);
  const action = form?.get('action');
  if (action === 'move') {
    const dir = form?.get('dir') === 'up' ? 'up' : 'down';
    const r = await moveProductImage(app.db, productId, imageId, dir, coverSrc);
    return r.ok ? { ok: true, done: 'moved' } : r;
  }
  if (action === 'alt') {
    const r = await setProductImageAlt(app.db, productId, imageId, String(form?.get('alt') ?? '').slice(0, 400));
    return r.ok ? { ok: true, done: 'alt' } : r;
  }
  if (action === 'remove') {
    const r = await removeProductImage(app.db, productId, imageId, coverSrc);
    return r.ok ? { ok: true, done: 'removed' } : r;
  }
  return refuse('invalid', 'Unknown action. Reload the page and try again.');
}

// ─── Brands and categories ──────────────────────────────────────────────────────────────────────

export type TaxonomyOutcome = { kind: 'done'; flash: string } | { kind: 'refused'; refusal: Refusal; values: Record<string, string> };

/** The /admin/catalog forms: action=create|rename|merge, kind=brand|category, id, name, into. */
export async function runTaxonomyAction(app: App, { user, form }: { user: Admin; form: FormLike | null }): Promise<TaxonomyOutcome> {
  const str = (k: string) => String(form?.get(k) ?? '').slice(0, 200);
  const values = { kind: str('kind'), name: str('name'), id: str('id'), into: str('into') };
  const denied = notAdmin(user);
  if (denied) return { kind: 'refused', refusal: denied, values };
  const kind: TaxonomyKind | null = values.kind === 'brand' || values.kind === 'category' ? values.kind : null;
  const action = str('action');
  if (!kind) return { kind: 'refused', refusal: refuse('invalid', 'Unknown list. Reload the page and try again.'), values };
  const word = kind === 'brand' ? 'Brand' : 'Category';
  if (action === 'create') {
    const r = await createTaxonomy(app.db, kind, values.name);
    return r.ok ? { kind: 'done', flash: `${word} ${r.row.name} added.` } : { kind: 'refused', refusal: r, values };
  }
  const id = /^\d{1,9}$/.test(values.id) ? Number(values.id) : null;
  if (id === null) return { kind: 'refused', refusal: refuse('invalid', 'The form is out of date: reload the page and try again.'), values };
  if (action === 'rename') {
    const r = await renameTaxonomy(app.db, kind, id, values.name);
    return r.ok ? { kind: 'done', flash: `Renamed to ${r.row.name}.` } : { kind: 'refused', refusal: r, values };
  }
  if (action === 'merge') {
    if (!/^\d{1,9}$/.test(values.into)) {
      const msg = `Choose the ${kind} to merge into.`;
      return { kind: 'refused', refusal: refuse('invalid', msg, { [`into_${id}`]: msg }), values };
    }
    const r = await mergeTaxonomy(app.db, kind, id, Number(values.into));
    if (!r.ok) return { kind: 'refused', refusal: r, values };
    const n = r.moved ?? 0;
    return { kind: 'done', flash: `Merged ${r.fromName} into ${r.row.name}: ${n} ${n === 1 ? 'product' : 'products'} moved.` };
  }
  return { kind: 'refused', refusal: refuse('invalid', 'Unknown action. Reload the page and try again.'), values };
}
