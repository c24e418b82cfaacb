/**
 * Reads the review form: a multipart body (it works without JavaScript: a plain `<form
 * enctype="multipart/form-data">`) with the fields `rating`, `body`, `fit`, photos in `photos`
 * (several files) and, when editing, `keep` (ids of photos already on the review to keep). The body
 * is read with a cap — six photos at the media limit and room for the fields — so nothing larger is
 * ever buffered. The files' names and types as sent are ignored: the media capability sniffs bytes.
 */
import { MEDIA_LIMITS, readCapped, uploadRefusal, type ImageLimits, type UploadRefusal } from '../media/index.ts';
import { refuse, type Refusal } from '../shared/index.ts';
import { REVIEW_LIMITS, tooManyPhotos } from './review-rules.ts';

const FORM_OVERHEAD_BYTES = 128 * 1024;

export interface ReviewFormData {
  fields: { rating?: string; body?: string; fit?: string; action?: string };
  photos: Uint8Array[];
  keep: string[];
}

export type ReviewFormResult = ({ ok: true } & ReviewFormData) | UploadRefusal | Refusal<'invalid'>;

/** The photo refusal names the field and, when there are several, which photo. */
function photoRefusal(r: UploadRefusal, index: number, count: number): UploadRefusal {
  const message = count > 1 ? `Photo ${index + 1}: ${r.message}` : r.message;
  return { ...r, message, fieldErrors: { photos: message } };
}

export async function readReviewForm(request: Request, limits: ImageLimits = MEDIA_LIMITS): Promise<ReviewFormResult> {
  const type = request.headers.get('content-type') ?? '';
  const cap = REVIEW_LIMITS.photosMax * limits.maxBytes + FORM_OVERHEAD_BYTES;
  const declared = Number(request.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > cap) return photoRefusal(uploadRefusal('too_large', limits), 0, 1);
  const body = await readCapped(request, cap);
  if (body === null) return photoRefusal(uploadRefusal('too_large', limits), 0, 1);
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': type } }).formData();
  } catch {
    return refuse('invalid', 'The form did not arrive whole. Reload the page and send it again.');
  }
  const text = (k: string) => {
    const v = form.get(k);
    return typeof v === 'string' ? v : undefined;
  };
  // A file input left empty still sends one part with no bytes and no name: not a photo.
  const files = form.getAll('photos').filter((f): f is File => f instanceof Blob && (f.size > 0 || (f as File).name !== ''));
  const keep = form.getAll('keep').filter((k): k is string => typeof k === 'string');
  if (files.length + keep.length > REVIEW_LIMITS.photosMax) return tooManyPhotos(files.length + keep.length);
  const photos: Uint8Array[] = [];
  for (const [i, f] of files.entries()) {
    if (f.size === 0) return photoRefusal(uploadRefusal('empty', limits), i, files.length);
    if (f.size > limits.maxBytes) return photoRefusal(uploadRefusal('too_large', limits), i, files.length);
    photos.push(new Uint8Array(await f.arrayBuffer()));
  }
  return { ok: true, fields: { rating: text('rating'), body: text('body'), fit: text('fit'), action: text('action') }, photos, keep };
}
