import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../tools/vitest.shared.ts';

// Multi-threaded training runs its workers from dist/: build it once before the tests.
export const config = mergeConfig(sharedConfig, {
  test: { globalSetup: ['tests/global-setup.ts'] },
});
export default config;
