import { mergeConfig } from 'vitest/config';
import { sharedConfig } from './vitest.shared.ts';

export const config = mergeConfig(sharedConfig, {});
export default config;
