import { sequence } from 'astro:middleware';
import { auth } from './lib/middleware/auth.ts';

export const onRequest = sequence(auth);
