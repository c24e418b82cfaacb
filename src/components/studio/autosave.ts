/**
 * The studio editor's autosave: one request at a time, ~1.5 s after the last change (or at once
 * when a field loses focus), against the draft version the page was rendered with. The server's
 * answer (src/pages/studio/posts/[id]/autosave.ts) decides what happens next (editor-model.ts
 * `readSaveResponse`): saved → the new version, and the body with card ids when the writer has
 * not typed since; conflict → stop (another window saved; saving over it would lose its work);
 * invalid → the problems, still unsaved; failed → try again later when that can help.
 *
 * No DOM and no React: the island gives it the form reader, the request and the timers, so the
 * rules are tested without a browser or a clock (tests/unit/studio/autosave.test.ts).
 */
import { readSaveResponse, type AutosavePayload, type SaveOutcome } from './editor-model.ts';

export const AUTOSAVE_DELAY_MS = 1500;
/** After a failure that may pass (no connection, the server failed), try again this much later. */
export const RETRY_DELAY_MS = 15_000;

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'dirty' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: Date }
  | { kind: 'conflict'; message: string }
  | Extract<SaveOutcome, { kind: 'invalid' }>
  | { kind: 'failed'; message: string };

export interface AutosaveDeps {
  /** The request body from the form as it is now (the body field already holds the editor's text). */
  collect: () => AutosavePayload;
  /** A counter the editor bumps on every change of the post's text. */
  contentRevision: () => number;
  /** POSTs JSON; resolves with the status and the parsed JSON (null when not JSON); status 0 when the request failed. */
  post: (payload: AutosavePayload) => Promise<{ status: number; json: unknown }>;
  /** A save went through: keep `draftVersion`; `body` is set when the editor should show it (card ids written in). */
  saved: (result: { draftVersion: number; body: string | null; sentBody: string }) => void;
  onState: (state: SaveState) => void;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
}

export class Autosave {
  private revision = 0;
  private savedRevision = 0;
  private timer: unknown = null;
  private inflight: Promise<void> | null = null;
  private stopped = false;
  /** A submit is under way: the form itself saves, so no autosave may race it. */
  private paused = false;
  private state: SaveState = { kind: 'idle' };

  constructor(private readonly deps: AutosaveDeps) {}

  /** Unsaved changes: something changed after the last save that went through. */
  get dirty(): boolean {
    return this.revision !== this.savedRevision;
  }

  /** True once another window saved this draft: nothing is sent any more. */
  get conflicted(): boolean {
    return this.stopped;
  }

  get current(): SaveState {
    return this.state;
  }

  /** A request is under way. */
  get saving(): boolean {
    return this.inflight !== null;
  }

  /** Something the autosave sends changed: save ~1.5 s after the last such change. */
  changed(): void {
    this.revision += 1;
    if (this.stopped) return;
    if (this.state.kind === 'saved' || this.state.kind === 'idle') this.setState({ kind: 'dirty' });
    this.schedule(AUTOSAVE_DELAY_MS);
  }

  /** A field lost focus: save now if there is anything to save (waits for a save under way). */
  async flush(): Promise<void> {
    if (this.stopped || this.paused) return;
    this.cancelTimer();
    if (this.inflight) await this.inflight;
    if (this.dirty && !this.stopped) await this.run();
  }

  /**
   * The form is about to be submitted: no autosave may start until `resume`; resolves once one
   * under way is done (so the submit carries the draft version it got).
   */
  async settle(): Promise<void> {
    this.paused = true;
    this.cancelTimer();
    if (this.inflight) await this.inflight;
  }

  /** The submit did not leave the page (it opened in another tab): autosave again. */
  resume(): void {
    this.paused = false;
    if (this.dirty) this.schedule(AUTOSAVE_DELAY_MS);
  }

  /**
   * The form was just saved by a request of its own (Preview, in another tab), which may have
   * made a new draft version this page does not know. Send what the form holds now, changed or
   * not: the server answers a save of what it already holds with its version (not a conflict), so
   * this page goes on from there.
   */
  resync(): Promise<void> {
    this.paused = false;
    this.revision += 1;
    return this.flush();
  }

  dispose(): void {
    this.cancelTimer();
    this.stopped = true;
  }

  private schedule(ms: number): void {
    this.cancelTimer();
    if (this.paused || this.stopped) return;
    this.timer = this.deps.setTimer(() => {
      this.timer = null;
      void this.run();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    this.timer = null;
  }

  private setState(state: SaveState): void {
    this.state = state;
    this.deps.onState(state);
  }

  private run(): Promise<void> {
    if (this.inflight || this.stopped || this.paused || !this.dirty) return this.inflight ?? Promise.resolve();
    this.inflight = this.send().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async send(): Promise<void> {
    const sentRevision = this.revision;
    const sentContent = this.deps.contentRevision();
    const payload = this.deps.collect();
    this.setState({ kind: 'saving' });
    let outcome: SaveOutcome;
    try {
      const { status, json } = await this.deps.post(payload);
      outcome = readSaveResponse(status, json);
    } catch {
      outcome = readSaveResponse(0, null);
    }
    if (this.stopped && outcome.kind !== 'conflict') return; // disposed while the request ran
    switch (outcome.kind) {
      case 'saved': {
        this.savedRevision = Math.max(this.savedRevision, sentRevision);
        // The server's body (with card ids) replaces the editor's only if the writer has not typed since.
        const untouched = this.deps.contentRevision() === sentContent;
        const body = outcome.body !== null && outcome.body !== payload.fields.body && untouched ? outcome.body : null;
        this.deps.saved({ draftVersion: outcome.draftVersion, body, sentBody: payload.fields.body });
        this.setState(this.dirty ? { kind: 'dirty' } : { kind: 'saved', at: outcome.savedAt });
        break;
      }
      case 'conflict':
        this.stopped = true;
        this.cancelTimer();
        this.setState({ kind: 'conflict', message: outcome.message });
        return;
      case 'invalid':
        // Nothing was written: still unsaved. The next change tries again.
        this.setState(outcome);
        break;
      case 'failed':
        this.setState({ kind: 'failed', message: outcome.message });
        if (outcome.retry) this.schedule(RETRY_DELAY_MS);
        break;
    }
    // Changes made while the request ran are saved in turn (their timer fired while it was busy).
    if (!this.stopped && this.revision !== sentRevision && this.timer === null) this.schedule(AUTOSAVE_DELAY_MS);
  }
}
