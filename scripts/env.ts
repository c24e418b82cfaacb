/**
 * Environment for command-line scripts (migrate, seed, user:create, content:check): the same
 * variables and rules as the server (src/server/shared/config.ts), validated at start-up; a bad
 * value stops the script with a message naming the variable.
 */
import { loadConfig, type ConfigValues } from '../src/server/shared/index.ts';

export type ScriptEnv = ConfigValues;

export function loadScriptEnv(env: NodeJS.ProcessEnv = process.env): ScriptEnv {
  const r = loadConfig(env);
  if (!r.ok) {
    console.error(`Invalid environment:\n${r.errors.map((e) => `  ${e}`).join('\n')}`);
    process.exit(1);
  }
  return r.values;
}
