import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../tools/vitest.shared.ts';

// The AWS SDK's `module` export condition points at dist-es files with extensionless
// imports that Node's loader cannot run; resolve the SDK through `node` (CommonJS) instead.
const conditions = ['@lakewatch/source', 'node', 'development|production'];

// The crash test runs the built bus (bin/local-bus.js → dist), so build it first.
export const config = mergeConfig(sharedConfig, {
  test: { globalSetup: ['tests/global-setup.ts'] },
});
config.resolve = { ...config.resolve, conditions };
config.ssr = { ...config.ssr, resolve: { ...config.ssr?.resolve, conditions } };
export default config;
