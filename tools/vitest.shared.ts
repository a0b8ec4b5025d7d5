import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * The vitest settings every project shares. Workspace packages are resolved to their
 * TypeScript sources through the `@lakewatch/source` export condition, so tests never
 * depend on a prior build.
 */
export const sharedConfig = defineConfig({
  resolve: { conditions: ['@lakewatch/source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['@lakewatch/source', ...defaultServerConditions] } },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
  },
});
