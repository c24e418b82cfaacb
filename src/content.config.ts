import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** A creator must exist as src/content/creators/<handle>.json — an unknown creator fails the build. */
const creatorsDir = join(process.cwd(), 'src/content/creators');
const handle = z.string().regex(/^[a-z0-9][a-z0-9-]{1,30}$/, 'lowercase letters, digits and dashes only');

const creators = defineCollection({
  loader: glob({ pattern: '*.json', base: './src/content/creators' }),
  schema: z.object({
    handle,
    name: z.string().min(1).max(80),
    bio: z.string().min(20).max(600),
    location: z.string().max(80).optional(),
    avatar: z.string().startsWith('/images/', 'must be a path under /images/'),
    links: z
      .array(z.object({ label: z.string().min(1).max(40), url: z.url() }))
      .max(8)
      .default([]),
    featured: z.boolean().default(false),
  }),
});

const posts = defineCollection({
  loader: glob({ pattern: '*.mdx', base: './src/content/posts' }),
  schema: z.object({
    title: z.string().min(4).max(120),
    summary: z.string().min(20).max(300),
    creator: handle.refine((h) => existsSync(join(creatorsDir, `${h}.json`)), {
      message: 'no such creator in src/content/creators',
    }),
    kind: z.enum(['look', 'guide', 'review']),
    published: z.coerce.date(),
    hero: z.object({
      src: z.string().startsWith('/images/', 'must be a path under /images/'),
      alt: z.string().min(8, 'describe the image for people who cannot see it'),
    }),
    tags: z.array(z.string().min(1).max(30)).max(10).default([]),
    draft: z.boolean().default(false),
  }),
});

export const collections = { creators, posts };
