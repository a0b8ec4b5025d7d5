#!/usr/bin/env node
import { main } from '../dist/bench/train.js';

try {
  process.exit(await main());
} catch (error) {
  console.error(`bench:train: ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
}
