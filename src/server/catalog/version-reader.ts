/**
 * Coalesced, still-strict reads of the catalog version (ADR 0003).
 *
 * Under a spike, hundreds of requests a second each need "the version now". A read that started
 * before a request arrived may miss a write that committed in between, so a request never joins a
 * read already in flight; it joins the NEXT read, which starts as soon as the current one finishes
 * — i.e. after the request arrived. Every caller thus sees a version read after it asked, and at
 * most one read is in flight at a time instead of one per request.
 */
export class VersionReader {
  #inFlight: Promise<number> | null = null;
  #next: Promise<number> | null = null;
  reads = 0;

  constructor(private readonly readOnce: () => Promise<number>) {}

  read(): Promise<number> {
    if (!this.#inFlight) return this.#start();
    if (!this.#next) {
      const after = this.#inFlight.then(
        () => undefined,
        () => undefined,
      );
      this.#next = after.then(() => {
        this.#next = null;
        return this.#start();
      });
    }
    return this.#next;
  }

  #start(): Promise<number> {
    this.reads++;
    const p = this.readOnce().finally(() => {
      if (this.#inFlight === p) this.#inFlight = null;
    });
    this.#inFlight = p;
    return p;
  }
}
