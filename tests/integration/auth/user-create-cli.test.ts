/**
 * Runs `scripts/user-create.ts` as a real process (tsx, like `npm run user:create`) and through its
 * exported `main`, against a temporary migrated database.
 */
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq } from 'drizzle-orm';
import { users } from '../../../db/schema/auth.ts';
import { makeCreator } from '../../../db/factories/factories.ts';
import { migrateDb, openDb, type Db } from '../../../src/server/db.ts';
import { verifyPassword } from '../../../src/server/auth/index.ts';
import { MIGRATIONS } from '../../helpers/db.ts';
import { main } from '../../../scripts/user-create.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const SCRIPT = join(ROOT, 'scripts/user-create.ts');

let db: Db;
let url: string;

beforeAll(async () => {
  url = `file:${join(mkdtempSync(join(tmpdir(), 'lookbook-cli-')), 'cli.db')}`;
  db = await openDb({ url });
  await migrateDb(db, MIGRATIONS);
  await makeCreator(db, { handle: 'noor', displayName: 'Noor' });
});
afterAll(() => db.$client.close());

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [TSX, SCRIPT, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: url, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const userCount = async () => (await db.select({ n: count() }).from(users).get())!.n;

describe('npm run user:create', () => {
  it('creates an admin from --password', async () => {
    const r = await run(['--role', 'admin', '--email', 'Ops@Shop.test', '--password', 'a fine long password']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Created admin ops@shop\.test/);
    const row = await db.select().from(users).where(eq(users.email, 'ops@shop.test')).get();
    expect(row?.role).toBe('admin');
    expect(await verifyPassword(row!.passwordHash, 'a fine long password')).toBe(true);
  });

  it('creates a creator login from LOOKBOOK_PASSWORD', async () => {
    const r = await run(['--role', 'creator', '--email', 'noor@shop.test', '--creator', 'noor'], { LOOKBOOK_PASSWORD: 'noor has a long password' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Created creator noor@shop\.test .*@noor/);
    const row = await db.select().from(users).where(eq(users.email, 'noor@shop.test')).get();
    expect(row?.creatorId).not.toBeNull();
  });

  it('prints usage on --help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: npm run user:create/);
  });
});

// Runs after the successes above (for the duplicate). Each spawn costs ~1.5 s of tsx start-up, so
// the process-level behaviour (exit code, stderr) is checked by spawning for two failures above and
// below, and the rest call the same exported `main` in-process with the same arguments.
describe('npm run user:create refuses bad input', () => {
  it('exits non-zero for a bad email (real process)', async () => {
    const before = await userCount();
    const r = await run(['--role', 'admin', '--email', 'not-an-email', '--password', 'a fine long password']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: "not-an-email" is not a valid email address\./);
    expect(await userCount()).toBe(before);
  });

  it('exits 2 with usage for an unknown option (real process)', async () => {
    const r = await run(['--role', 'admin', '--email', 'u@shop.test', '--pasword', 'typo typo typo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown option '--pasword'/);
    expect(r.stderr).toMatch(/Usage: npm run user:create/);
  });

  it.for<[string, string[], RegExp]>([
    ['a bad email', ['--role', 'admin', '--email', 'not-an-email', '--password', 'a fine long password'], /not a valid email/],
    ['a short password', ['--role', 'admin', '--email', 'short@shop.test', '--password', 'short'], /password rejected: Use at least 10 characters/],
    ['a duplicate email', ['--role', 'admin', '--email', 'OPS@shop.test', '--password', 'a fine long password'], /already exists/],
    ['an unknown role', ['--role', 'owner', '--email', 'x@shop.test', '--password', 'a fine long password'], /unknown role "owner"/],
    ['an unknown creator', ['--role', 'creator', '--email', 'y@shop.test', '--creator', 'ghost', '--password', 'a fine long password'], /No creator with the handle "ghost"/],
    ['a creator without handle', ['--role', 'creator', '--email', 'z@shop.test', '--password', 'a fine long password'], /needs --creator/],
    ['an admin with a handle', ['--role', 'admin', '--email', 'w@shop.test', '--creator', 'noor', '--password', 'a fine long password'], /only applies to --role creator/],
    ['no password and no terminal', ['--role', 'admin', '--email', 'np@shop.test'], /no password given/],
    ['a missing --email', ['--role', 'admin', '--password', 'a fine long password'], /--email is required/],
    ['a missing --role', ['--email', 'r@shop.test', '--password', 'a fine long password'], /--role is required/],
  ])('fails on %s, non-zero and writing nothing', async ([_name, args, message]) => {
    const before = await userCount();
    const r = await runInProcess(args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).toMatch(message);
    expect(await userCount()).toBe(before);
  });
});

async function runInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (write: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        write(chunk.toString());
        cb();
      },
    });
  const code = await main(args, {
    env: { DATABASE_URL: url },
    stdin: { isTTY: false } as NodeJS.ReadStream,
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
  });
  return { code, stdout, stderr };
}
