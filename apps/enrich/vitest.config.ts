import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../tools/vitest.shared.ts';

export const config = mergeConfig(sharedConfig, {
  test: { globalSetup: ['tests/global-setup.ts'] },
});
export default config;
