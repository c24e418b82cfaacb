/// <reference types="vitest/config" />
import { getViteConfig } from 'astro/config';

// getViteConfig gives tests Astro's Vite setup (astro:content, .astro components for the Container API).
export default getViteConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'app',
          include: ['tests/{unit,integration,component}/**/*.test.ts'],
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
