import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../tools/vitest.shared.ts';

// Node loads the AWS SDK from its CommonJS build: the shared config's `module` condition would
// pick its bundler-only ESM build (extensionless imports), which Node cannot run.
const conditions = (sharedConfig.ssr?.resolve?.conditions ?? []).filter((c) => c !== 'module');

export const config = mergeConfig(
  { ...sharedConfig, ssr: { ...sharedConfig.ssr, resolve: { conditions } } },
  {},
);
export default config;
