import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../tools/vitest.shared.ts';

export const config = mergeConfig(sharedConfig, {
  test: { globalSetup: ['tests/support/global-setup.ts'] },
});
export default config;
