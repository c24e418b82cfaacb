/**
 * Environment for command-line scripts (migrate, seed, user:create, content:check), validated with
 * zod at start-up. The web app reads the same variables through astro:env (astro.config.mjs).
 */
import { z } from 'zod';

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^(file:|libsql:|https?:|wss?:)/, 'must start with file:, libsql:, http(s): or ws(s):')
    .default('file:db/local.db'),
  DATABASE_AUTH_TOKEN: z.string().min(1).optional(),
});

export type ScriptEnv = z.infer<typeof schema>;

export function loadScriptEnv(env: NodeJS.ProcessEnv = process.env): ScriptEnv {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    console.error(`Invalid environment:\n${lines.join('\n')}`);
    process.exit(1);
  }
  return parsed.data;
}
