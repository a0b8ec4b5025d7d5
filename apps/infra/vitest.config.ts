import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../tools/vitest.shared.ts';

// Synthesizing the stack bundles four functions with esbuild: give the shared hook time.
export const config = mergeConfig(sharedConfig, {
  test: { hookTimeout: 180_000 },
});
export default config;
