#!/usr/bin/env node
import { main, readConfig } from '../dist/index.js';

try {
  await main(readConfig());
} catch (error) {
  console.error(`model-server: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}
