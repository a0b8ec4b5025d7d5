#!/usr/bin/env node
import { main } from '../dist/bench/parse-vpc-flow.js';

process.exit(await main());
