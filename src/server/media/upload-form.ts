/**
 * Reads an upload request: a multipart form with the image in `file` and, optionally, what it is
 * `for`. The body is read with a cap, so a request larger than the byte limit is refused after at
 * most that many bytes (at once when its Content-Length says so), never buffered whole. The file's
 * name and type as the browser sent them are ignored: process-image.ts sniffs the bytes.
 */
import { MEDIA_LIMITS, uploadRefusal, type ImageLimits, type UploadRefusal } from './rules.ts';

/** Where an upload will be used; all are processed alike today. */
export const UPLOAD_PURPOSES = ['hero', 'inline', 'avatar'] as const;
export type UploadPurpose = (typeof UPLOAD_PURPOSES)[number];

/** Room for the multipart boundaries and the other fields around the file. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

export type UploadForm = { ok: true; bytes: Uint8Array; purpose: UploadPurpose } | UploadRefusal;

/**
 * The uploaded file's bytes and purpose, or a refusal.
 * @example const form = await readUploadForm(request); if (form.ok) await saveUpload(db, { bytes: form.bytes, … })
 */
export async function readUploadForm(request: Request, limits: ImageLimits = MEDIA_LIMITS): Promise<UploadForm> {
  const type = request.headers.get('content-type') ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) return uploadRefusal('no_file', limits);
  const cap = limits.maxBytes + FORM_OVERHEAD_BYTES;
  const declared = Number(request.headers.get('content-length') ?? '');
  if (Number.isFinite(declared) && declared > cap) return uploadRefusal('too_large', limits);
  const body = await readCapped(request, cap);
  if (body === null) return uploadRefusal('too_large', limits);
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': type } }).formData();
  } catch {
    return uploadRefusal('no_file', limits);
  }
  const file = form.get('file');
  if (!(file instanceof Blob)) return uploadRefusal('no_file', limits);
  if (file.size === 0) return uploadRefusal('empty', limits);
  if (file.size > limits.maxBytes) return uploadRefusal('too_large', limits);
  const purposeField = form.get('for');
  const purpose = UPLOAD_PURPOSES.find((p) => p === purposeField) ?? 'inline';
  return { ok: true, bytes: new Uint8Array(await file.arrayBuffer()), purpose };
}

/** The whole body, or null once it passes `max` bytes (reading stops there). Also read by the review form. */
export async function readCapped(request: Request, max: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
