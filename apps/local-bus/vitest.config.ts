import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../tools/vitest.shared.ts';

// The crash test runs the built bus (bin/local-bus.js → dist), so build it first.
export const config = mergeConfig(sharedConfig, {
  test: { globalSetup: ['tests/global-setup.ts'] },
});
export default config;
