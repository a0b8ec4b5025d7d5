#!/usr/bin/env node
import { main } from '../dist/bench/score.js';

try {
  process.exit(await main());
} catch (error) {
  console.error(`bench:score: ${error instanceof Error ? error.stack : error}`);
  process.exit(1);
}
