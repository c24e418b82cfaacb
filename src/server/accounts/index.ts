/**
 * The accounts capability's public face (readers' saved addresses; signing in is the auth
 * capability's): other capabilities, workflows, pages and tests import from here.
 */
export * from './addresses.ts';
