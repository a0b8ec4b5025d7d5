import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../tools/vitest.shared.ts';

export const config = mergeConfig(sharedConfig, {});
export default config;
