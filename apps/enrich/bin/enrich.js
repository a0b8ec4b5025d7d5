#!/usr/bin/env node
import { main } from '../dist/server.js';

main().catch((error) => {
  console.error(`enrich: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
