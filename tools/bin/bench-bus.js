#!/usr/bin/env node
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { latencySender, main, throughputWorker } from '../dist/bench/bus.js';

if (isMainThread) process.exit(await main());
else if (workerData.kind === 'latency')
  parentPort.postMessage(
    await latencySender(workerData.url, workerData.calls, workerData.warmCalls),
  );
else
  parentPort.postMessage(
    await throughputWorker(workerData.url, workerData.concurrency, workerData.until),
  );
