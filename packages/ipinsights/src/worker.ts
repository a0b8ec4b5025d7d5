import { parentPort, workerData } from 'node:worker_threads';
import { runTrainingWorker } from './kernel.js';
import type { KernelBuffers, KernelConfig, WorkerMessage } from './kernel-shared.js';

// Entry point of a training worker thread (started by trainer.ts from the built dist/).
const data = workerData as { cfg: KernelConfig; buf: KernelBuffers; w: number };
runTrainingWorker(data.cfg, data.buf, data.w, (m: WorkerMessage) => parentPort?.postMessage(m));
