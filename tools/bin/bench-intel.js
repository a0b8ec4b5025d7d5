#!/usr/bin/env node
import { main } from '../dist/bench/intel.js';

process.exitCode = await main();
