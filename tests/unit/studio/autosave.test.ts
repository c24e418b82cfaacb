/**
 * The autosave's rules with the timers and the request in the test's hands (nothing waits on a
 * clock): debounce, one request at a time, conflict stops, problems keep the draft unsaved, the
 * server's body only when the writer has not typed since.
 */
import { describe, expect, it } from 'vitest';
import { Autosave, AUTOSAVE_DELAY_MS, RETRY_DELAY_MS, type SaveState } from '../../../src/components/studio/autosave.ts';
import type { AutosavePayload } from '../../../src/components/studio/editor-model.ts';

function harness() {
  const timers: { fn: () => void; ms: number; id: number }[] = [];
  let nextId = 0;
  const requests: { payload: AutosavePayload; answer: (status: number, json: unknown) => void; fail: () => void }[] = [];
  const states: SaveState[] = [];
  const saved: { draftVersion: number; body: string | null }[] = [];
  const form = { body: 'Hello', title: 'T', draftVersion: 1 };
  let content = 0;
  const save = new Autosave({
    collect: () => ({ draftVersion: form.draftVersion, fields: { title: form.title, slug: '', summary: '', kind: 'look', tags: '', heroMediaId: '', heroAlt: '', body: form.body } }),
    contentRevision: () => content,
    post: (payload) =>
      new Promise((resolve, reject) => requests.push({ payload, answer: (status, json) => resolve({ status, json }), fail: () => reject(new Error('offline')) })),
    saved: (r) => {
      saved.push({ draftVersion: r.draftVersion, body: r.body });
      form.draftVersion = r.draftVersion;
    },
    onState: (s) => states.push(s),
    setTimer: (fn, ms) => {
      const id = ++nextId;
      timers.push({ fn, ms, id });
      return id;
    },
    clearTimer: (id) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
  });
  const fire = async () => {
    const t = timers.shift();
    if (!t) throw new Error('no timer');
    t.fn();
    await Promise.resolve();
    return t.ms;
  };
  const settle = () => new Promise((r) => setImmediate(r));
  const edit = (body: string) => {
    form.body = body;
    content += 1;
    save.changed();
  };
  return { save, timers, requests, states, saved, form, fire, settle, edit };
}

const ok = (draftVersion: number, body: string) => ({ ok: true, draftVersion, savedAt: '2026-12-02T10:42:00.000Z', body });

describe('Autosave', () => {
  it('saves once, 1.5 s after the last of several changes, and is clean after', async () => {
    const h = harness();
    h.edit('a');
    h.edit('ab');
    h.edit('abc');
    expect(h.timers).toHaveLength(1);
    expect(h.save.dirty).toBe(true);
    expect(await h.fire()).toBe(AUTOSAVE_DELAY_MS);
    expect(h.requests).toHaveLength(1);
    expect(h.requests[0]!.payload).toMatchObject({ draftVersion: 1, fields: { body: 'abc' } });
    expect(h.states.at(-1)).toEqual({ kind: 'saving' });
    h.requests[0]!.answer(200, ok(2, 'abc'));
    await h.settle();
    expect(h.save.dirty).toBe(false);
    expect(h.states.at(-1)).toEqual({ kind: 'saved', at: new Date('2026-12-02T10:42:00.000Z') });
    expect(h.saved).toEqual([{ draftVersion: 2, body: null }]); // the same body: nothing to show
    expect(h.timers).toHaveLength(0);
  });

  it('sends one request at a time; a change made meanwhile is saved next, with the new version', async () => {
    const h = harness();
    h.edit('a');
    await h.fire();
    h.edit('ab');
    await h.fire(); // the debounce ends while the first save is still running
    expect(h.requests).toHaveLength(1);
    h.requests[0]!.answer(200, ok(2, 'a'));
    await h.settle();
    expect(h.save.dirty).toBe(true);
    expect(h.saved[0]!.body).toBeNull(); // the writer typed since: their text stays
    await h.fire();
    expect(h.requests).toHaveLength(2);
    expect(h.requests[1]!.payload).toMatchObject({ draftVersion: 2, fields: { body: 'ab' } });
  });

  it('hands over the server body (card ids written in) only when the text is unchanged since it was sent', async () => {
    const h = harness();
    h.edit('<ProductCard product="tee" />');
    await h.fire();
    h.requests[0]!.answer(200, ok(2, '<ProductCard card={0} product="tee" />'));
    await h.settle();
    expect(h.saved).toEqual([{ draftVersion: 2, body: '<ProductCard card={0} product="tee" />' }]);
  });

  it('a form field change (not the text) still lets the server body in', async () => {
    const h = harness();
    h.edit('<ProductCard product="tee" />');
    await h.fire();
    h.form.title = 'New title';
    h.save.changed(); // a field, not the text
    h.requests[0]!.answer(200, ok(2, '<ProductCard card={0} product="tee" />'));
    await h.settle();
    expect(h.saved[0]!.body).toBe('<ProductCard card={0} product="tee" />');
    expect(h.save.dirty).toBe(true);
  });

  it('stops after a conflict: the message is shown and nothing more is sent', async () => {
    const h = harness();
    h.edit('a');
    await h.fire();
    h.requests[0]!.answer(409, { ok: false, reason: 'conflict', message: 'Saved in another window.' });
    await h.settle();
    expect(h.states.at(-1)).toEqual({ kind: 'conflict', message: 'Saved in another window.' });
    expect(h.save.conflicted).toBe(true);
    h.edit('ab');
    await h.save.flush();
    expect(h.timers).toHaveLength(0);
    expect(h.requests).toHaveLength(1);
    expect(h.save.dirty).toBe(true); // leaving still warns
  });

  it('problems keep the draft unsaved and are passed on; the next change tries again', async () => {
    const h = harness();
    h.edit('<div>');
    await h.fire();
    h.requests[0]!.answer(400, { ok: false, message: 'Fix the post.', problems: [{ line: 1, column: 1, message: 'Line 1: raw HTML is not allowed' }] });
    await h.settle();
    expect(h.states.at(-1)).toMatchObject({ kind: 'invalid', problems: [{ line: 1, message: 'Line 1: raw HTML is not allowed' }] });
    expect(h.save.dirty).toBe(true);
    expect(h.timers).toHaveLength(0); // not retried by itself
    h.edit('fixed');
    await h.fire();
    expect(h.requests).toHaveLength(2);
  });

  it('no connection: not saved, tried again later', async () => {
    const h = harness();
    h.edit('a');
    await h.fire();
    h.requests[0]!.fail();
    await h.settle();
    expect(h.states.at(-1)).toMatchObject({ kind: 'failed' });
    expect(h.timers.map((t) => t.ms)).toEqual([RETRY_DELAY_MS]);
    await h.fire();
    expect(h.requests).toHaveLength(2);
  });

  it('a field losing focus saves at once; with nothing changed it sends nothing', async () => {
    const h = harness();
    await h.save.flush();
    expect(h.requests).toHaveLength(0);
    h.form.title = 'x';
    h.save.changed();
    const flushed = h.save.flush();
    await Promise.resolve();
    expect(h.timers).toHaveLength(0);
    expect(h.requests).toHaveLength(1);
    h.requests[0]!.answer(200, ok(2, 'Hello'));
    await flushed;
    expect(h.save.dirty).toBe(false);
  });

  it('before a submit: no save starts, and one under way is waited for', async () => {
    const h = harness();
    h.edit('a');
    await h.fire();
    h.edit('ab');
    let settled = false;
    const s = h.save.settle().then(() => (settled = true));
    expect(h.timers).toHaveLength(0);
    await h.settle();
    expect(settled).toBe(false);
    h.requests[0]!.answer(200, ok(2, 'a'));
    await s;
    expect(h.form.draftVersion).toBe(2); // the submit carries the version the autosave got
    await h.settle();
    expect(h.timers).toHaveLength(0); // nothing races the submit
    h.edit('abc');
    expect(h.timers).toHaveLength(0);
    // The submit opened in another tab (a preview): autosave goes on.
    h.save.resume();
    await h.fire();
    expect(h.requests.at(-1)!.payload.fields.body).toBe('abc');
  });

  it('after a submit in another tab (Preview), resync sends the form at once, changed or not, and adopts the version', async () => {
    const h = harness();
    h.edit('a');
    await h.fire();
    h.requests[0]!.answer(200, ok(2, 'a'));
    await h.settle();
    expect(h.save.dirty).toBe(false);
    await h.save.settle(); // the submit
    const done = h.save.resync();
    await h.settle();
    expect(h.requests).toHaveLength(2);
    expect(h.requests[1]!.payload).toMatchObject({ draftVersion: 2, fields: { body: 'a' } });
    // The preview's save made version 3 of the same text: the server answers with it.
    h.requests[1]!.answer(200, ok(3, 'a'));
    await done;
    expect(h.form.draftVersion).toBe(3);
    expect(h.save.dirty).toBe(false);
    h.edit('ab');
    await h.fire();
    expect(h.requests[2]!.payload).toMatchObject({ draftVersion: 3, fields: { body: 'ab' } });
  });
});
