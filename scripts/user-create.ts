/**
 * `npm run user:create -- --role admin --email a@b.c [--password …] [--creator <handle>]`
 *
 * Creates an admin or creator login. The password comes from --password, else the
 * LOOKBOOK_PASSWORD environment variable, else a hidden prompt (asked twice) when run on a
 * terminal. Every input is validated before anything is written; bad input prints a clear error
 * and exits non-zero (1 = invalid input, 2 = wrong usage).
 */
import { ensureCreatorCodes } from '../src/server/commissions/index.ts';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { openDb } from '../src/server/db.ts';
import { checkPasswordStrength } from '../src/server/auth/index.ts';
import { ROLES, createUser, isRole, isValidEmail } from '../src/server/auth/index.ts';
import { loadScriptEnv } from './env.ts';

const USAGE = `Usage: npm run user:create -- --role <${ROLES.join('|')}> --email <address> [--password <password>] [--creator <handle>]

  --role       admin (shop staff) or creator
  --email      the login email
  --password   the password (prefer LOOKBOOK_PASSWORD or the prompt: arguments end up in shell history)
  --creator    for --role creator: the creator's handle (the creator must already exist)`;

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Runs the command; resolves to the process exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const fail = (message: string, code = 1) => {
    io.stderr.write(`error: ${message}\n`);
    if (code === 2) io.stderr.write(`\n${USAGE}\n`);
    return code;
  };

  let values: { role?: string; email?: string; password?: string; creator?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        role: { type: 'string' },
        email: { type: 'string' },
        password: { type: 'string' },
        creator: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error), 2);
  }
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.role) return fail('--role is required.', 2);
  if (!values.email) return fail('--email is required.', 2);

  // Cheap checks first, so nobody types a password only to be told the email was wrong.
  if (!isRole(values.role)) return fail(`unknown role "${values.role}". Use one of: ${ROLES.join(', ')}.`);
  if (!isValidEmail(values.email)) return fail(`"${values.email}" is not a valid email address.`);
  if (values.role === 'creator' && !values.creator) return fail('a creator login needs --creator <handle>.');
  if (values.role === 'admin' && values.creator) return fail('--creator only applies to --role creator.');

  let password = values.password ?? io.env.LOOKBOOK_PASSWORD;
  if (password === undefined) {
    if (!io.stdin.isTTY) return fail('no password given: pass --password, set LOOKBOOK_PASSWORD, or run in a terminal to be prompted.');
    password = await promptHidden(io, 'Password: ');
    const strength = checkPasswordStrength(password);
    if (!strength.ok) return fail(`password rejected: ${strength.reason}`);
    const again = await promptHidden(io, 'Repeat password: ');
    if (again !== password) return fail('the passwords do not match.');
  }

  const env = loadScriptEnv(io.env);
  const db = await openDb({ url: env.DATABASE_URL, authToken: env.DATABASE_AUTH_TOKEN });
  try {
    const result = await createUser(db, { email: values.email, password, role: values.role, creatorHandle: values.creator });
    if (!result.ok) {
      const hint = result.reason === 'weak_password' ? 'password rejected: ' : '';
      return fail(`${hint}${result.message} Nothing was written.`);
    }
    const { user } = result;
    // A creator made outside an invitation gets their referral and personal codes here.
    if (user.creatorId !== null) await ensureCreatorCodes(db, user.creatorId);
    io.stdout.write(`Created ${user.role} ${user.email} (user id ${user.id})${values.creator ? ` for creator @${values.creator.trim()}` : ''}.\n`);
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return fail(`could not write to ${env.DATABASE_URL}: ${message}. Has the database been set up (npm run db:setup)?`);
  } finally {
    db.$client.close();
  }
}

/** Reads one line from a TTY without echoing it. */
function promptHidden(io: CliIo, question: string): Promise<string> {
  const { stdin, stdout } = io;
  stdout.write(question);
  return new Promise((resolve, reject) => {
    let input = '';
    const done = (error?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stdout.write('\n');
      if (error) reject(error);
      else resolve(input);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') input = input.slice(0, -1);
        else input += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2), { env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr })
    .then((code) => {
      process.exitCode = code;
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}
