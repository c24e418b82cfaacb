/// <reference types="vitest/config" />
import { getViteConfig } from 'astro/config';

// Pure unit tests run on plain Vite: no Astro pipeline to pay for. A unit test that needs Astro
// (astro:* modules, .astro files) goes in ASTRO_UNIT so the 'app' project runs it instead.
const ASTRO_UNIT: string[] = [];

// getViteConfig gives the 'app' project Astro's Vite setup (astro:content, .astro components for the
// Container API). Only projects with `extends: true` inherit it.
export default getViteConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          exclude: ASTRO_UNIT,
          testTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'app',
          include: ['tests/{integration,component}/**/*.test.ts', ...ASTRO_UNIT],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.spec.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
