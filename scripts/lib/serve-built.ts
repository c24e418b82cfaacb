/**
 * Build the site and run the *built* server (`dist/server/entry.mjs`, NODE_ENV=production) on a fresh,
 * seeded database — the same artefact `npm run serve` runs. Shared by the e2e global setup and the
 * benchmarks in `bench/`.
 *
 * @example
 *   await buildSite();                          // astro build → dist/
 *   const server = await startBuiltServer();    // fresh seeded DB, free port on 127.0.0.1
 *   await fetch(`${server.baseURL}/`);
 *   await server.stop();                        // kills the server's whole process group
 *
 * Every child runs with `process.execPath` (the Node that runs this file — Node 22 under `npm run`).
 * Servers only ever bind 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** The repository root (this file lives in scripts/lib/). */
export const ROOT = resolve(import.meta.dirname, '../..');
const ASTRO_CLI = join(ROOT, 'node_modules/astro/bin/astro.mjs');
const DB_SETUP = join(ROOT, 'scripts/db-setup.ts');

export interface BuildOptions {
  /** Output directory, relative to the repo root or absolute. Default `dist` (what `npm run serve` runs). */
  outDir?: string;
  /** Extra environment for the build. */
  env?: NodeJS.ProcessEnv;
  /** Forward the build's output to this process's stderr (default true); otherwise only shown on failure. */
  verbose?: boolean;
}

export interface StartOptions {
  /** Port to listen on; default: a free port chosen at start. */
  port?: number;
  /** Database to use. Default: a fresh `file:` database in a temp dir, migrated and seeded, removed on stop(). */
  databaseUrl?: string;
  /** Run `scripts/db-setup.ts` (migrate + seed if empty) on `databaseUrl` first. Default true. */
  setupDatabase?: boolean;
  /** Extra environment for the server (and the DB setup). */
  env?: NodeJS.ProcessEnv;
  /** Build directory that holds `server/entry.mjs`. Default `dist`. */
  distDir?: string;
  /** Forward the server's stdout/stderr to this process's stderr. Default: env LOOKBOOK_SERVER_LOG=1. */
  log?: boolean;
  /** How long to wait for the first HTTP answer. Default 30 s. */
  readyTimeoutMs?: number;
}

export interface BuiltServer {
  /** e.g. `http://127.0.0.1:43123` (no trailing slash). */
  baseURL: string;
  port: number;
  /** The database the server uses. */
  databaseUrl: string;
  /** The server process id (also its process group id). */
  pid: number;
  /** Last lines the server printed (for error messages). */
  output(): string;
  /** SIGTERM the server's process group, SIGKILL after 5 s; removes the temp database. Idempotent. */
  stop(): Promise<void>;
}

/** Debian's Chromium, and the flags every headless run here uses (e2e helpers and bench/page-weight). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function baseEnv(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', ...extra };
}

/** Ring buffer of a child's output, optionally echoed to our stderr. */
function captureOutput(child: ChildProcess, echo: boolean, prefix = ''): () => string {
  let buf = '';
  const onData = (chunk: Buffer) => {
    const s = chunk.toString('utf8');
    buf = (buf + s).slice(-16_000);
    if (echo) process.stderr.write(prefix ? s.replace(/^(?=.)/gm, prefix) : s);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return () => buf;
}

/** Run a Node script with `process.execPath` and wait for it; reject with its output on failure. */
function runNode(args: string[], opts: { env: NodeJS.ProcessEnv; echo: boolean; label: string }): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = captureOutput(child, opts.echo);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`${opts.label} failed (${signal ?? `exit ${code}`}):\n${output()}`));
    });
  });
}

/** `astro build` (via `process.execPath node_modules/astro/bin/astro.mjs build`). */
export async function buildSite(options: BuildOptions = {}): Promise<{ outDir: string }> {
  const outDir = resolve(ROOT, options.outDir ?? 'dist');
  const args = [ASTRO_CLI, 'build'];
  if (options.outDir) args.push('--outDir', outDir);
  // A production build even when called from vitest (which sets NODE_ENV=test): otherwise React's
  // development runtime is bundled and the server renders with jsxDEV.
  await runNode(args, { env: baseEnv({ ...options.env, NODE_ENV: 'production' }), echo: options.verbose ?? true, label: 'astro build' });
  if (!existsSync(join(outDir, 'server/entry.mjs'))) throw new Error(`astro build produced no ${outDir}/server/entry.mjs`);
  return { outDir };
}

/**
 * Migrate (and seed, if empty) a database with `scripts/db-setup.ts`, run through tsx. Without the
 * demo activity (past orders), so stock levels are exactly those of scripts/seed/catalog-data.ts.
 */
export async function setupDatabase(databaseUrl: string, env?: NodeJS.ProcessEnv, echo = false): Promise<void> {
  await runNode(['--import', 'tsx', DB_SETUP, '--no-activity'], {
    env: baseEnv({ ...env, DATABASE_URL: databaseUrl }),
    echo,
    label: 'db setup',
  });
}

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolvePromise(port) : reject(new Error('no port'))));
    });
  });
}

/** Kill a detached child's process group: SIGTERM, then SIGKILL after `graceMs`. */
export async function killGroup(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      /* group already gone */
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  signal('SIGKILL'); // anything the leader left behind in its group
}

/**
 * Children still running when this process ends get their group killed: on a normal exit, and on
 * SIGINT/SIGTERM/SIGHUP (after which the signal is re-raised if nobody else handles it, so the
 * process still dies the way it would have). Best effort, synchronous.
 */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function killLive(): void {
  for (const c of live) {
    try {
      if (c.pid) process.kill(-c.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  live.clear();
}
export function killOnExit(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', killLive);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      killLive();
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.once(sig, onSignal);
  }
}

/** Poll `url` until it answers HTTP (any status) or the child exits or the time runs out. */
export async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number, output: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited (${child.signalCode ?? `exit ${child.exitCode}`}) before answering:\n${output()}`);
    }
    try {
      const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`server did not answer ${url} within ${timeoutMs} ms (${String(lastError)}):\n${output()}`);
}

/**
 * Start the production server (`scripts/serve.mjs`: the render cache in front of
 * `<dist>/server/entry.mjs`, ADR 0003) in its own process group on 127.0.0.1 with a fresh seeded database.
 */
export async function startBuiltServer(options: StartOptions = {}): Promise<BuiltServer> {
  const distDir = resolve(ROOT, options.distDir ?? 'dist');
  const entry = join(distDir, 'server/entry.mjs');
  if (!existsSync(entry)) throw new Error(`${entry} not found — run buildSite() (npm run build) first`);

  let tempDir: string | undefined;
  let databaseUrl = options.databaseUrl;
  if (!databaseUrl) {
    tempDir = mkdtempSync(join(tmpdir(), 'lookbook-serve-'));
    databaseUrl = `file:${join(tempDir, 'lookbook.db')}`;
  } else if (databaseUrl.startsWith('file:') && !isAbsolute(databaseUrl.slice(5))) {
    databaseUrl = `file:${resolve(ROOT, databaseUrl.slice(5))}`;
  }
  const cleanTemp = () => {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    tempDir = undefined;
  };

  try {
    if (options.setupDatabase ?? true) await setupDatabase(databaseUrl, options.env);
  } catch (err) {
    cleanTemp();
    throw err;
  }

  const log = options.log ?? process.env.LOOKBOOK_SERVER_LOG === '1';
  // A free port can be taken between probing and listening; retry a few times when no port was asked for.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const child = spawn(process.execPath, [join(ROOT, 'scripts/serve.mjs')], {
      cwd: ROOT,
      detached: true, // own process group: stop() kills the server and anything it spawned
      stdio: ['ignore', 'pipe', 'pipe'],
      env: baseEnv({
        SITE_URL: `http://127.0.0.1:${port}`, // absolute links in mail point at this server
        ...options.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: databaseUrl,
        LOOKBOOK_DIST: distDir,
      }),
    });
    killOnExit(child);
    const output = captureOutput(child, log, '[server] ');
    const baseURL = `http://127.0.0.1:${port}`;
    try {
      await waitForHttp(`${baseURL}/`, child, options.readyTimeoutMs ?? 30_000, output);
    } catch (err) {
      await killGroup(child);
      if (options.port === undefined && attempt < 3 && /EADDRINUSE/.test(output())) continue;
      cleanTemp();
      throw err;
    }
    let stopping: Promise<void> | undefined;
    return {
      baseURL,
      port,
      databaseUrl,
      pid: child.pid!,
      output,
      stop: () =>
        (stopping ??= killGroup(child).then(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          cleanTemp();
        })),
    };
  }
}
