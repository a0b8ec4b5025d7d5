import { defineConfig } from 'vitest/config';
import { sharedConfig } from '../../tools/vitest.shared.ts';

// Without the `module` condition: the AWS SDK's `module` entry (dist-es) uses extensionless
// imports that Node cannot load when vitest externalizes it; `node`/`import` pick dist-cjs.
const conditions = ['@lakewatch/source', 'node', 'import', 'default'];

export const config = defineConfig({
  ...sharedConfig,
  resolve: { ...sharedConfig.resolve, conditions },
  ssr: { ...sharedConfig.ssr, resolve: { ...sharedConfig.ssr?.resolve, conditions } },
});
export default config;
