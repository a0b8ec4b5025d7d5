import { mergeConfig } from 'vitest/config';
import { sharedConfig } from '../../tools/vitest.shared.ts';

// Node loads the AWS SDK from its CommonJS build: the shared config's `module` condition would
// pick its bundler-only ESM build (extensionless imports), which Node cannot run.
const conditions = (sharedConfig.ssr?.resolve?.conditions ?? []).filter((c) => c !== 'module');

// The tests share one generated simulation (tests/helpers.ts caches it per option set): run the
// files in one process without isolation so that it is generated once, not once per file.
export const config = mergeConfig(
  { ...sharedConfig, ssr: { ...sharedConfig.ssr, resolve: { conditions } } },
  { test: { isolate: false, fileParallelism: false } },
);
export default config;
