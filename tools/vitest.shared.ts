import { defineConfig } from 'vitest/config';

// Vite's default server conditions include `module`, which sends the AWS SDK to its dist-es
// files (extensionless imports Node's loader cannot run): resolve packages as Node does.
const conditions = ['@lakewatch/source', 'node', 'development|production'];

/**
 * The vitest settings every project shares. Workspace packages are resolved to their
 * TypeScript sources through the `@lakewatch/source` export condition, so tests never
 * depend on a prior build.
 */
export const sharedConfig = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
  },
});
