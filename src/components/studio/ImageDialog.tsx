/**
 * The editor's image dialog (MDXEditor's imagePlugin `ImageDialog`): upload a picture and describe
 * it. The description (alt text) is asked for every time and required here — publishing needs it
 * (docs/decisions/0039-mdx-allow-list.md) and people who cannot see the image read it. Images come
 * only from uploads: the post stores `![description](/media/<id>)` and the shop renders the
 * upload's sizes. A failed upload keeps the dialog open with the server's message.
 *
 * A native modal <dialog> in document.body (outside the post form: its Enter never submits it).
 */
import { useEffect, useId, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { closeImageDialog$, imageDialogState$, saveImage$, useCellValue, usePublisher } from '@mdxeditor/editor';

export type Uploader = (file: File) => Promise<{ ok: true; src: string } | { ok: false; message: string }>;

const MAX_ALT = 200;

export function makeImageDialog(upload: Uploader) {
  return function StudioImageDialog() {
    const state = useCellValue(imageDialogState$);
    const save = usePublisher(saveImage$);
    const close = usePublisher(closeImageDialog$);
    if (state.type === 'inactive') return null;
    const editing = state.type === 'editing' ? { src: state.initialValues.src ?? '', alt: state.initialValues.altText ?? '', title: state.initialValues.title ?? '' } : null;
    return createPortal(
      <ImageForm
        key={state.type === 'editing' ? state.nodeKey : 'new'}
        editing={editing}
        upload={upload}
        onSave={(v) => save({ src: v.src, altText: v.alt, title: v.title })}
        onClose={() => close()}
      />,
      document.body,
    );
  };
}

function ImageForm({
  editing,
  upload,
  onSave,
  onClose,
}: {
  editing: { src: string; alt: string; title: string } | null;
  upload: Uploader;
  onSave: (v: { src: string; alt: string; title: string }) => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const altInput = useRef<HTMLInputElement>(null);
  const opener = useRef<Element | null>(null);
  const [alt, setAlt] = useState(editing?.alt ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = { title: useId(), file: useId(), fileHint: useId(), alt: useId(), altHint: useId(), error: useId() };

  useEffect(() => {
    opener.current = document.activeElement;
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    (editing ? altInput.current : fileInput.current)?.focus();
    return () => {
      if (opener.current instanceof HTMLElement && opener.current.isConnected) opener.current.focus();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const submit = async (e: { preventDefault(): void; stopPropagation(): void }) => {
    e.preventDefault();
    e.stopPropagation();
    const file = fileInput.current?.files?.[0];
    const description = alt.trim();
    if (!editing && !file) {
      setError('Choose an image to upload.');
      fileInput.current?.focus();
      return;
    }
    if (description.length === 0) {
      setError('Describe the image for people who cannot see it.');
      altInput.current?.focus();
      return;
    }
    let src = editing?.src ?? '';
    if (file) {
      setBusy(true);
      setError(null);
      const r = await upload(file);
      setBusy(false);
      if (!r.ok) {
        setError(r.message);
        fileInput.current?.focus();
        return;
      }
      src = r.src;
    }
    onSave({ src, alt: description, title: editing?.title ?? '' });
  };

  return (
    <dialog
      ref={dialog}
      className="pe-dialog pe-image-dialog"
      aria-labelledby={ids.title}
      onCancel={(e) => {
        e.preventDefault(); // Escape: close through MDXEditor's state, which unmounts this dialog
        onClose();
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2 id={ids.title}>{editing ? 'Describe the image' : 'Add an image'}</h2>
        <div className="pe-field">
          <label htmlFor={ids.file}>{editing ? 'Replace the image (optional)' : 'Image'}</label>
          <input ref={fileInput} id={ids.file} type="file" accept="image/jpeg,image/png,image/webp,image/avif,image/gif" aria-describedby={ids.fileHint} disabled={busy} />
          <p className="pe-hint" id={ids.fileHint}>
            JPEG, PNG, WebP, AVIF or GIF, up to 15 MB.
          </p>
        </div>
        <div className="pe-field">
          <label htmlFor={ids.alt}>Description (alt text)</label>
          <input
            ref={altInput}
            id={ids.alt}
            type="text"
            required
            aria-required="true"
            maxLength={MAX_ALT}
            value={alt}
            onChange={(e) => setAlt(e.target.value)}
            aria-describedby={error ? `${ids.altHint} ${ids.error}` : ids.altHint}
            aria-invalid={error !== null && alt.trim() === '' ? true : undefined}
            disabled={busy}
          />
          <p className="pe-hint" id={ids.altHint}>
            What the picture shows, for people who cannot see it — for example “Sand linen shirt, worn open over a white tee”.
          </p>
        </div>
        <p className="pe-dialog__error" id={ids.error} role="alert">
          {error}
        </p>
        <div className="pe-dialog__actions">
          <button type="button" className="button button--ghost" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="button" disabled={busy}>
            {busy ? 'Uploading…' : editing ? 'Save' : 'Insert image'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
