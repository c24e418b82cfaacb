/**
 * The cover image field with JavaScript: a chosen file is uploaded at once (the post's media
 * route), its id goes into the form's hidden `heroMediaId`, the thumbnail is shown, and the file
 * field is emptied — so autosave carries the new cover, and no later submit of the form (Preview,
 * Publish) uploads it a second time and saves a cover this page does not know about (which made
 * this tab's next autosave a conflict). Without JavaScript the form uploads the file itself.
 *
 * Returns `uploading()` (the upload under way, to wait for before the form is submitted: the form
 * would send the file too) and `dispose()`.
 */
export interface CoverUploadOptions {
  form: HTMLFormElement;
  uploadUrl: string;
  /** The hidden id changed: autosave it. */
  onChange: () => void;
  /** Say something to screen readers (the editor's live region). */
  announce: (message: string) => void;
}

interface UploadAnswer {
  ok?: boolean;
  message?: string;
  media?: { id?: string; src?: string };
}

export interface CoverUpload {
  uploading: () => Promise<void> | null;
  dispose: () => void;
}

export function enhanceCoverUpload({ form, uploadUrl, onChange, announce }: CoverUploadOptions): CoverUpload {
  const input = form.querySelector<HTMLInputElement>('input[type="file"][name="heroFile"]');
  const hidden = form.elements.namedItem('heroMediaId');
  if (!input || !(hidden instanceof HTMLInputElement)) return { uploading: () => null, dispose: () => {} };
  const field = input.closest('.field') ?? input.parentElement!;
  const status = document.createElement('p');
  status.className = 'pe-status pe-cover__status';
  status.setAttribute('role', 'status');
  input.insertAdjacentElement('afterend', status);
  const described = input.getAttribute('aria-describedby');

  const showError = (message: string) => {
    let error = field.querySelector<HTMLElement>('.field-error');
    if (!error) {
      error = document.createElement('p');
      error.className = 'field-error';
      error.id = `${input.id}-error`;
      field.append(error);
    }
    error.textContent = message;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', error.id);
    status.textContent = '';
    announce(`The cover image was not uploaded: ${message}`);
  };
  const clearError = () => {
    field.querySelector('.field-error')?.remove();
    input.removeAttribute('aria-invalid');
    if (described) input.setAttribute('aria-describedby', described);
  };
  const showThumbnail = (src: string) => {
    const img = document.createElement('img');
    img.src = src;
    img.alt = '';
    img.width = 160;
    img.height = 200;
    img.className = 'pe-cover__img';
    const shown = form.querySelector('[data-cover-preview]');
    const box = document.createElement('p');
    box.setAttribute('data-cover-preview', '');
    box.append(img);
    if (shown) shown.replaceWith(box);
    else field.insertAdjacentElement('beforebegin', box);
    const label = form.querySelector(`label[for="${CSS.escape(input.id)}"]`);
    if (label) label.textContent = 'Replace the cover image';
  };

  let run = 0;
  const onFile = async () => {
    const file = input.files?.[0];
    if (!file) return;
    const mine = ++run;
    clearError();
    status.textContent = 'Uploading the cover image…';
    const body = new FormData();
    body.set('file', file);
    body.set('for', 'cover');
    let answer: UploadAnswer | null = null;
    let ok = false;
    try {
      const res = await fetch(uploadUrl, { method: 'POST', body, credentials: 'same-origin', headers: { accept: 'application/json' } });
      answer = (await res.json().catch(() => null)) as UploadAnswer | null;
      ok = res.ok && answer?.ok === true;
    } catch {
      if (mine === run) showError('No connection to the shop: the image was not uploaded. Try again.');
      return;
    }
    if (mine !== run) return; // another file was chosen meanwhile
    const id = answer?.media?.id;
    if (!ok || typeof id !== 'string' || !/^[A-Za-z0-9_-]{8,40}$/.test(id)) {
      showError(answer?.message ?? 'The image could not be uploaded. Try again.');
      return;
    }
    hidden.value = id;
    input.value = ''; // uploaded: the form must not send it again
    showThumbnail(typeof answer?.media?.src === 'string' ? answer.media.src : `/media/${id}/480.webp`);
    status.textContent = 'Cover image uploaded.';
    onChange();
  };
  let current: Promise<void> | null = null;
  const listener = () => {
    const p = onFile().finally(() => {
      if (current === p) current = null;
    });
    current = p;
  };
  input.addEventListener('change', listener);
  return {
    uploading: () => current,
    dispose: () => {
      input.removeEventListener('change', listener);
      status.remove();
    },
  };
}
