#!/usr/bin/env node
import { main } from '../dist/bench/ocsf-validate.js';

process.exit(await main());
