/**
 * The memory shared between the training coordinator and its worker threads, and the
 * control-word indices. Everything is a SharedArrayBuffer so workers need no copies.
 */
export interface KernelConfig {
  readonly threads: number;
  readonly vectorDim: number;
  readonly numEntityVectors: number;
  readonly ipHashBuckets: number;
  readonly numLayers: number;
  readonly randomRate: number;
  readonly shuffledRate: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly seed: number;
  readonly initStd: number;
  /** Init std of the hashed (/24, /32) prefix tables; 0 = zeros. */
  readonly hashedInitStd: number;
  /** Bit l set = prefix level l (0: /8, 1: /16, 2: /24, 3: /32) is used; unused levels stay zero. */
  readonly levelMask: number;
  /** Positive pairs. */
  readonly n: number;
}

export interface KernelBuffers {
  readonly params: SharedArrayBuffer;
  /** Float32 Adam moments, 2 per parameter, interleaved per row (see kernel.ts). */
  readonly adamState: SharedArrayBuffer;
  /** Int32 entity bucket per positive pair. */
  readonly entity: SharedArrayBuffer;
  /** Uint32 IPv4 per positive pair. */
  readonly ip: SharedArrayBuffer;
  /** Int32 four prefix rows per occurrence (positive or negative pair); -1 = masked. */
  readonly occRows: SharedArrayBuffer;
  /** Float32 gradient w.r.t. the prefix sum of each occurrence. */
  readonly occGrad: SharedArrayBuffer;
  /** Int32 entity row per batch position. */
  readonly posEntity: SharedArrayBuffer;
  /** Float32 gradient w.r.t. the entity vector per batch position. */
  readonly entGrad: SharedArrayBuffer;
  /** Float32 per-worker partial gradients of the dense layers. */
  readonly densePart: SharedArrayBuffer;
  /** Int32 per table row: its slot in the owner's accumulation buffer, or -1. */
  readonly rowSlot: SharedArrayBuffer;
  /** Float64 per worker: loss sum, pair count, correct count. */
  readonly stats: SharedArrayBuffer;
  /** Int32 control words, see {@link CTL}. */
  readonly ctl: SharedArrayBuffer;
}

/** Control word indices. */
export const CTL = {
  barrierCount: 0,
  barrierGen: 1,
  /** Epochs the coordinator allows workers to run (resume signal). */
  allowedEpochs: 2,
  /** Batches finished in the current epoch (written by worker 0). */
  batchesDone: 3,
  /** Current epoch (1-based, written by worker 0). */
  epoch: 4,
  size: 8,
} as const;

export const STATS_STRIDE = 4;

/** Messages a worker posts to the coordinator. */
export type WorkerMessage = { type: 'epoch'; epoch: number; seconds: number } | { type: 'done' };
