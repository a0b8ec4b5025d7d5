#!/usr/bin/env node
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { main, throughputWorker } from '../dist/bench/bus.js';

if (isMainThread) process.exit(await main());
else
  parentPort.postMessage(
    await throughputWorker(workerData.url, workerData.concurrency, workerData.until),
  );
