#!/usr/bin/env node
import { main } from '../dist/bench/simulate.js';

process.exit(await main());
