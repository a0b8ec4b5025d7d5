#!/usr/bin/env node
import { main } from '../dist/index.js';

try {
  await main();
} catch (e) {
  process.stderr.write(`local-bus: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
