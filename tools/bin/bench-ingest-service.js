#!/usr/bin/env node
import { main } from '../dist/bench/ingest-service.js';

process.exit(await main());
