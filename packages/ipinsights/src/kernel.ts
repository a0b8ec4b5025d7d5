import { dot, gemmABt, transpose } from './gemm.js';
import { hash3, Rng } from './hash.js';
import {
  CTL,
  type KernelBuffers,
  type KernelConfig,
  STATS_STRIDE,
  type WorkerMessage,
} from './kernel-shared.js';
import { type ParameterLayout, parameterLayout, prefixRows } from './layout.js';

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

/** A sense-free generation barrier over two Int32 control words. */
function barrier(ctl: Int32Array, threads: number): void {
  const gen = Atomics.load(ctl, CTL.barrierGen);
  if (Atomics.add(ctl, CTL.barrierCount, 1) === threads - 1) {
    Atomics.store(ctl, CTL.barrierCount, 0);
    Atomics.add(ctl, CTL.barrierGen, 1);
    Atomics.notify(ctl, CTL.barrierGen);
    return;
  }
  for (let spin = 0; spin < 2000; spin++) if (Atomics.load(ctl, CTL.barrierGen) !== gen) return;
  while (Atomics.load(ctl, CTL.barrierGen) === gen) Atomics.wait(ctl, CTL.barrierGen, gen, 1000);
}

/** Initialises owned table rows (approximately normal: Irwin–Hall of 4 uniform bytes) and, on worker 0, the dense layers. */
function initialise(cfg: KernelConfig, layout: ParameterLayout, p: Float32Array, w: number): void {
  const d = layout.vectorDim;
  // Irwin–Hall(4) of bytes: mean 510, variance 4 * (256² - 1) / 12.
  const scale = cfg.initStd / Math.sqrt((4 * (256 * 256 - 1)) / 12);
  for (let r = w; r < layout.totalRows; r += cfg.threads) {
    const rng = new Rng(hash3(cfg.seed, r, 0x1217));
    const o = r * d;
    for (let k = 0; k < d; k++) {
      const x = rng.nextU32();
      p[o + k] = ((x & 255) + ((x >>> 8) & 255) + ((x >>> 16) & 255) + (x >>> 24) - 510) * scale;
    }
  }
  if (w !== 0) return;
  // torch.nn.Linear's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases.
  const bound = 1 / Math.sqrt(d);
  for (let l = 0; l < layout.numLayers; l++) {
    const rng = new Rng(hash3(cfg.seed, 0xde45, l));
    const o = layout.denseOffset + l * layout.layerStride;
    for (let k = 0; k < layout.layerStride; k++) p[o + k] = (2 * rng.next() - 1) * bound;
  }
}

function shuffleInto(order: Int32Array, count: number, rng: Rng): void {
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}

/**
 * Runs the whole training loop as worker `w` of `cfg.threads`. Each mini-batch has two
 * phases separated by barriers:
 *
 * A. forward + backward for this worker's slice of the batch's positives: gradients w.r.t.
 *    each occurrence's prefix sum and each position's entity vector go to shared scratch,
 *    dense-layer gradients to this worker's partial buffer;
 * B. scatter + lazy Adam: every table row is owned by worker `row % threads`; each worker
 *    scans all occurrences in batch order, sums the gradients of the rows it owns (so the
 *    sum order, and the result, does not depend on the thread count), then applies Adam to
 *    them; the dense parameters are split by range, their partials summed in worker order.
 */
export function runTrainingWorker(
  cfg: KernelConfig,
  buf: KernelBuffers,
  w: number,
  post: (m: WorkerMessage) => void,
): void {
  const T = cfg.threads;
  const layout = parameterLayout(
    cfg.vectorDim,
    cfg.numEntityVectors,
    cfg.ipHashBuckets,
    cfg.numLayers,
  );
  const d = layout.vectorDim;
  const L = layout.numLayers;
  const R = cfg.randomRate;
  const S = cfg.shuffledRate;
  const K = 1 + R + S;
  const B = Math.min(cfg.batchSize, cfg.n);
  const n = cfg.n;
  const p = new Float32Array(buf.params);
  // Adam moments: for table row r, m at [2rd, 2rd+d) and v at [2rd+d, 2rd+2d); for dense
  // parameter k, m at 2k and v at 2k+1.
  const st = new Float32Array(buf.adamState);
  const ent = new Int32Array(buf.entity);
  const ips = new Uint32Array(buf.ip);
  const occRows = new Int32Array(buf.occRows);
  const occGrad = new Float32Array(buf.occGrad);
  const posEnt = new Int32Array(buf.posEntity);
  const entGrad = new Float32Array(buf.entGrad);
  const denseFloats = L * layout.layerStride;
  const densePart = new Float32Array(buf.densePart);
  const myDense = w * denseFloats;
  const rowSlot = new Int32Array(buf.rowSlot);
  const stats = new Float64Array(buf.stats);
  const ctl = new Int32Array(buf.ctl);

  const maxSlots = Math.min(layout.totalRows, B * (1 + 4 * K));
  const slotGrad = new Float32Array(maxSlots * d);
  const slotRow = new Int32Array(maxSlots);
  const order = new Int32Array(n);
  const perms = new Int32Array(Math.max(1, S) * B);
  const shardMax = Math.ceil(B / T) + 1;
  const es = new Float32Array(shardMax * d); // entity vectors of the shard
  const esT = new Float32Array(shardMax * d);
  const uAll = new Float32Array(shardMax * d); // W_Lᵀ e per position
  const vAll = new Float32Array(shardMax * d); // Σ_j g_j h_j per position
  const vT = new Float32Array(shardMax * d);
  const wT = new Float32Array(L > 0 ? d * d : 0);
  const eb = new Float32Array(shardMax);
  const sumGs = new Float64Array(shardMax);
  const delta = new Float32Array(d);
  const delta2 = new Float32Array(d);
  // acts[0] = prefix sum, acts[l] = output of hidden layer l (post-ReLU), l < L.
  const acts = new Float32Array(Math.max(1, L) * d);
  const lastOff = Math.max(0, L - 1) * d; // input of the last layer (or the sum when L <= 1)
  const wLast = L > 0 ? layout.denseOffset + (L - 1) * layout.layerStride : 0;
  const bLast = wLast + d * d;
  const myDenseLast = myDense + (L - 1) * layout.layerStride;

  initialise(cfg, layout, p, w);
  barrier(ctl, T);

  let step = 0;
  const batches = Math.ceil(n / B);
  for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
    const t0 = performance.now();
    shuffleInto(order, n, new Rng(hash3(cfg.seed, epoch, 0x5eed)));
    const epochSeed = hash3(cfg.seed, epoch, 0xe90c);
    let lossSum = 0;
    let pairSum = 0;
    let correct = 0;
    for (let batch = 0; batch < batches; batch++) {
      const start = batch * B;
      const b = Math.min(B, n - start);
      step++;
      // ---- shuffled-negative permutations and the batch's pair count (same on every worker)
      let weightTotal = b * (1 + R);
      if (S > 0) {
        const rng = new Rng(hash3(epochSeed, batch, 0x5aff));
        for (let r = 0; r < S; r++) {
          const base = r * B;
          for (let i = 0; i < b; i++) perms[base + i] = i;
          for (let i = b - 1; i > 0; i--) {
            const j = rng.below(i + 1);
            const t = perms[base + i]!;
            perms[base + i] = perms[base + j]!;
            perms[base + j] = t;
          }
          for (let i = 0; i < b; i++)
            if (ent[order[start + i]!]! !== ent[order[start + perms[base + i]!]!]!) weightTotal++;
        }
      }
      const invW = 1 / weightTotal;
      // ---- phase A: forward and backward for positions [lo, hi)
      if (L > 0) densePart.fill(0, myDense, myDense + denseFloats);
      const lo = Math.floor((b * w) / T);
      const hi = Math.floor((b * (w + 1)) / T);
      const bs = hi - lo;
      for (let i = 0; i < bs; i++) {
        const eRow = ent[order[start + lo + i]!]!;
        posEnt[lo + i] = eRow;
        const eo = eRow * d;
        const so = i * d;
        for (let k = 0; k < d; k++) es[so + k] = p[eo + k]!;
      }
      if (L > 0) {
        transpose(p, wLast, d, d, wT);
        gemmABt(es, 0, d, wT, 0, d, uAll, 0, d, bs, d, d, false);
        for (let i = 0; i < bs; i++) eb[i] = dot(es, i * d, p, bLast, d);
      } else uAll.set(es.subarray(0, bs * d));
      for (let i = 0; i < bs; i++) {
        const pos = lo + i;
        const g0 = order[start + pos]!;
        const eRow = posEnt[pos]!;
        const uo = i * d;
        const vo = i * d;
        vAll.fill(0, vo, vo + d);
        let sumG = 0;
        const occBase = pos * K;
        for (let j = 0; j < K; j++) {
          const occ = occBase + j;
          const ro4 = occ * 4;
          let ip: number;
          if (j === 0) ip = ips[g0]!;
          else if (j <= R) ip = hash3(epochSeed, start + pos, j);
          else {
            const partner = order[start + perms[(j - 1 - R) * B + pos]!]!;
            if (ent[partner] === eRow) {
              occRows[ro4] = -1;
              continue;
            }
            ip = ips[partner]!;
          }
          prefixRows(layout, ip, occRows, ro4);
          const r0 = occRows[ro4]! * d;
          const r1 = occRows[ro4 + 1]! * d;
          const r2 = occRows[ro4 + 2]! * d;
          const r3 = occRows[ro4 + 3]! * d;
          for (let k = 0; k < d; k++) acts[k] = p[r0 + k]! + p[r1 + k]! + p[r2 + k]! + p[r3 + k]!;
          for (let l = 0; l + 1 < L; l++) {
            const wo = layout.denseOffset + l * layout.layerStride;
            const bo = wo + d * d;
            const io = l * d;
            const oo = io + d;
            for (let o = 0; o < d; o++) {
              const acc = p[bo + o]! + dot(p, wo + o * d, acts, io, d);
              acts[oo + o] = Math.max(acc, 0);
            }
          }
          const z = eb[i]! + dot(uAll, uo, acts, lastOff, d);
          const y = j === 0 ? 1 : 0;
          // BCE with logits, numerically stable.
          lossSum += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
          if (z > 0 === (y === 1)) correct++;
          const g = (1 / (1 + Math.exp(-z)) - y) * invW;
          sumG += g;
          for (let k = 0; k < d; k++) vAll[vo + k]! += g * acts[lastOff + k]!;
          const go = occ * d;
          if (L <= 1) {
            for (let k = 0; k < d; k++) occGrad[go + k] = g * uAll[uo + k]!;
            continue;
          }
          // Back through the hidden layers (L >= 2): delta = dLoss/d(input of layer l+1).
          for (let k = 0; k < d; k++) delta[k] = g * uAll[uo + k]!;
          for (let l = L - 2; l >= 0; l--) {
            const wo = layout.denseOffset + l * layout.layerStride;
            const io = l * d;
            const oo = io + d;
            const po = myDense + l * layout.layerStride;
            delta2.fill(0);
            for (let o = 0; o < d; o++) {
              if (acts[oo + o]! <= 0) continue;
              const dl = delta[o]!;
              densePart[po + d * d + o]! += dl;
              const ro = wo + o * d;
              const pro = po + o * d;
              for (let k = 0; k < d; k++) {
                densePart[pro + k]! += dl * acts[io + k]!;
                delta2[k]! += p[ro + k]! * dl;
              }
            }
            delta.set(delta2);
          }
          for (let k = 0; k < d; k++) occGrad[go + k] = delta[k]!;
        }
        sumGs[i] = sumG;
      }
      if (L > 0) {
        // entity gradients: de = W v + b Σg; last layer: dW += Σ_i e_i v_iᵀ, db += Σ_i e_i Σg_i
        gemmABt(vAll, 0, d, p, wLast, d, entGrad, lo * d, d, bs, d, d, false);
        for (let i = 0; i < bs; i++) {
          const go = (lo + i) * d;
          const sg = sumGs[i]!;
          for (let o = 0; o < d; o++) entGrad[go + o]! += p[bLast + o]! * sg;
        }
        if (bs > 0) {
          transpose(es, 0, bs, d, esT);
          transpose(vAll, 0, bs, d, vT);
          gemmABt(esT, 0, bs, vT, 0, bs, densePart, myDenseLast, d, d, d, bs, true);
          const dbo = myDenseLast + d * d;
          for (let i = 0; i < bs; i++) {
            const sg = sumGs[i]!;
            const so = i * d;
            for (let o = 0; o < d; o++) densePart[dbo + o]! += es[so + o]! * sg;
          }
        }
      } else entGrad.set(vAll.subarray(0, bs * d), lo * d);
      if (w === 0) pairSum += weightTotal;
      barrier(ctl, T);
      // ---- phase B: scatter owned rows in batch order, then lazy Adam on them
      let slots = 0;
      for (let i = 0; i < b; i++) {
        const row = posEnt[i]!;
        if (row % T !== w) continue;
        slots = accumulate(row, entGrad, i * d, slots);
      }
      const occCount = b * K;
      for (let occ = 0; occ < occCount; occ++) {
        const ro4 = occ * 4;
        if (occRows[ro4]! < 0) continue;
        for (let lvl = 0; lvl < 4; lvl++) {
          const row = occRows[ro4 + lvl]!;
          if (row % T !== w) continue;
          slots = accumulate(row, occGrad, occ * d, slots);
        }
      }
      // Adam (as torch: p -= lr/bc1 · m / (sqrt(v)/sqrt(bc2) + eps)), rewritten with one
      // division; m and v of a row are adjacent in `st` (one memory stream instead of two).
      const bc1 = 1 - BETA1 ** step;
      const bc2Sqrt = Math.sqrt(1 - BETA2 ** step);
      const stepSize = (cfg.learningRate * bc2Sqrt) / bc1;
      const epsHat = EPS * bc2Sqrt;
      const wd = cfg.weightDecay;
      for (let s = 0; s < slots; s++) {
        const row = slotRow[s]!;
        rowSlot[row] = -1;
        const po = row * d;
        const mo = 2 * po;
        const vo = mo + d;
        const so = s * d;
        for (let k = 0; k < d; k++) {
          const gk = slotGrad[so + k]! + wd * p[po + k]!;
          const mk = BETA1 * st[mo + k]! + (1 - BETA1) * gk;
          const vk = BETA2 * st[vo + k]! + (1 - BETA2) * gk * gk;
          st[mo + k] = mk;
          st[vo + k] = vk;
          p[po + k]! -= (stepSize * mk) / (Math.sqrt(vk) + epsHat);
        }
      }
      if (L > 0) {
        const dlo = layout.denseOffset + Math.floor((denseFloats * w) / T);
        const dhi = layout.denseOffset + Math.floor((denseFloats * (w + 1)) / T);
        for (let pk = dlo; pk < dhi; pk++) {
          const rel = pk - layout.denseOffset;
          let gk = wd * p[pk]!;
          for (let t = 0; t < T; t++) gk += densePart[t * denseFloats + rel]!;
          const mo = 2 * pk;
          const mk = BETA1 * st[mo]! + (1 - BETA1) * gk;
          const vk = BETA2 * st[mo + 1]! + (1 - BETA2) * gk * gk;
          st[mo] = mk;
          st[mo + 1] = vk;
          p[pk]! -= (stepSize * mk) / (Math.sqrt(vk) + epsHat);
        }
      }
      barrier(ctl, T);
      if (w === 0) Atomics.store(ctl, CTL.batchesDone, batch + 1);
    }
    const so = w * STATS_STRIDE;
    stats[so] = lossSum;
    stats[so + 1] = pairSum;
    stats[so + 2] = correct;
    barrier(ctl, T);
    if (w === 0) post({ type: 'epoch', epoch, seconds: (performance.now() - t0) / 1000 });
    while (Atomics.load(ctl, CTL.allowedEpochs) <= epoch)
      Atomics.wait(ctl, CTL.allowedEpochs, epoch, 1000);
    if (w === 0) Atomics.store(ctl, CTL.batchesDone, 0);
  }
  if (w === 0) post({ type: 'done' });

  function accumulate(row: number, src: Float32Array, so: number, slots: number): number {
    let s = rowSlot[row]!;
    if (s < 0) {
      s = slots++;
      rowSlot[row] = s;
      slotRow[s] = row;
      const o = s * d;
      for (let k = 0; k < d; k++) slotGrad[o + k] = src[so + k]!;
      return slots;
    }
    const o = s * d;
    for (let k = 0; k < d; k++) slotGrad[o + k]! += src[so + k]!;
    return slots;
  }
}
