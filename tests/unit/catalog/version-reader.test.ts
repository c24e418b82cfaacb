import { describe, expect, it } from 'vitest';
import { VersionReader } from '../../../src/server/catalog/index.ts';

/** A controllable "database": each read resolves when we say, with the value current at its start. */
function fakeDb() {
  let version = 1;
  const pending: { resolve: (v: number) => void; value: number }[] = [];
  return {
    set: (v: number) => (version = v),
    read: () => new Promise<number>((resolve) => pending.push({ resolve, value: version })),
    finishNext: async () => {
      const p = pending.shift();
      p?.resolve(p.value);
      await new Promise((r) => setTimeout(r, 0));
    },
    get waiting() {
      return pending.length;
    },
  };
}

describe('VersionReader', () => {
  it('never answers a request with a read that started before it arrived', async () => {
    const db = fakeDb();
    const reader = new VersionReader(db.read);
    const first = reader.read(); // read #1 starts at version 1
    db.set(2); // a write commits while read #1 is in flight
    const second = reader.read(); // arrived after the write: must not get read #1's answer
    await db.finishNext();
    expect(await first).toBe(1);
    await db.finishNext();
    expect(await second).toBe(2);
  });
  it('coalesces everyone who arrives during a read into one next read', async () => {
    const db = fakeDb();
    const reader = new VersionReader(db.read);
    const a = reader.read();
    const waiting = Array.from({ length: 50 }, () => reader.read());
    expect(db.waiting).toBe(1);
    await db.finishNext();
    await a;
    expect(db.waiting).toBe(1); // one read for all 50
    await db.finishNext();
    expect(new Set(await Promise.all(waiting)).size).toBe(1);
    expect(reader.reads).toBe(2);
  });
  it('recovers after a failed read', async () => {
    let fail = true;
    const reader = new VersionReader(async () => {
      if (fail) throw new Error('db down');
      return 7;
    });
    await expect(reader.read()).rejects.toThrow('db down');
    fail = false;
    expect(await reader.read()).toBe(7);
  });
});
