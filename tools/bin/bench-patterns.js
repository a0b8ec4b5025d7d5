#!/usr/bin/env node
import { main } from '../dist/bench/patterns.js';

process.exit(main());
