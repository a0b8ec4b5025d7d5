#!/usr/bin/env node
import { main } from '../dist/server.js';

main().catch((error) => {
  console.error(`notify: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
