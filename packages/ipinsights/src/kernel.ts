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

/** A generation barrier over two Int32 control words (spins briefly, then sleeps). */
function barrier(ctl: Int32Array, threads: number): void {
  if (threads === 1) return;
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

function shuffleInto(order: Int32Array, offset: number, count: number, rng: Rng): void {
  for (let i = 0; i < count; i++) order[offset + i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    const t = order[offset + i]!;
    order[offset + i] = order[offset + j]!;
    order[offset + j] = t;
  }
}

/**
 * One training worker (`w` of `threads`). Each mini-batch has two phases separated by
 * barriers:
 *
 * A. forward + backward for this worker's slice of the batch's positives. The last encoder
 *    layer is folded into the entity side (`z = (W_Lᵀe)·h + e·b_L`), so its d×d work is
 *    per positive, not per pair, and runs as register-blocked matrix products over the
 *    slice. Gradients w.r.t. each pair's prefix-sum and each position's entity vector go to
 *    shared scratch; dense-layer gradients to this worker's partial buffer.
 * B. scatter + lazy Adam: table row `r` belongs to worker `r % threads`; each worker scans
 *    all pairs of the batch in order and sums the gradients of its rows (so the sum order,
 *    and the result, does not depend on the thread count), then applies Adam (with L2
 *    weight decay) to those rows only; the dense parameters are split by range and their
 *    partial gradients summed in worker order.
 *
 * Hot loops live in small methods so that V8 optimises each of them normally.
 */
class TrainingWorker {
  private readonly layout: ParameterLayout;
  private readonly d: number;
  private readonly L: number;
  private readonly R: number;
  private readonly S: number;
  private readonly K: number;
  private readonly B: number;
  private readonly T: number;
  private readonly p: Float32Array;
  private readonly st: Float32Array;
  private readonly ent: Int32Array;
  private readonly ips: Uint32Array;
  private readonly occRows: Int32Array;
  private readonly occGrad: Float32Array;
  private readonly posEnt: Int32Array;
  private readonly entGrad: Float32Array;
  private readonly densePart: Float32Array;
  private readonly denseFloats: number;
  private readonly myDense: number;
  private readonly rowSlot: Int32Array;
  private readonly stats: Float64Array;
  private readonly ctl: Int32Array;
  private readonly slotGrad: Float32Array;
  private readonly slotRow: Int32Array;
  private readonly order: Int32Array;
  private readonly perms: Int32Array;
  private readonly es: Float32Array;
  private readonly esT: Float32Array;
  private readonly uAll: Float32Array;
  private readonly vAll: Float32Array;
  private readonly vT: Float32Array;
  private readonly wT: Float32Array;
  private readonly eb: Float32Array;
  private readonly sumGs: Float64Array;
  private readonly acts: Float32Array;
  private readonly delta: Float32Array;
  private readonly delta2: Float32Array;
  private readonly wLast: number;
  private readonly bLast: number;
  private lossSum = 0;
  private correct = 0;

  constructor(
    private readonly cfg: KernelConfig,
    buf: KernelBuffers,
    private readonly w: number,
  ) {
    const layout = parameterLayout(
      cfg.vectorDim,
      cfg.numEntityVectors,
      cfg.ipHashBuckets,
      cfg.numLayers,
    );
    this.layout = layout;
    const d = layout.vectorDim;
    this.d = d;
    this.L = layout.numLayers;
    this.R = cfg.randomRate;
    this.S = cfg.shuffledRate;
    this.K = 1 + this.R + this.S;
    this.B = Math.min(cfg.batchSize, cfg.n);
    this.T = cfg.threads;
    this.p = new Float32Array(buf.params);
    // Adam moments: table row r has m at [2rd, 2rd+d) and v at [2rd+d, 2rd+2d) (one memory
    // stream per row); dense parameter k has m at 2k and v at 2k+1.
    this.st = new Float32Array(buf.adamState);
    this.ent = new Int32Array(buf.entity);
    this.ips = new Uint32Array(buf.ip);
    this.occRows = new Int32Array(buf.occRows);
    this.occGrad = new Float32Array(buf.occGrad);
    this.posEnt = new Int32Array(buf.posEntity);
    this.entGrad = new Float32Array(buf.entGrad);
    this.denseFloats = this.L * layout.layerStride;
    this.densePart = new Float32Array(buf.densePart);
    this.myDense = w * this.denseFloats;
    this.rowSlot = new Int32Array(buf.rowSlot);
    this.stats = new Float64Array(buf.stats);
    this.ctl = new Int32Array(buf.ctl);
    const maxSlots = Math.min(layout.totalRows, this.B * (1 + 4 * this.K));
    this.slotGrad = new Float32Array(maxSlots * d);
    this.slotRow = new Int32Array(maxSlots);
    this.order = new Int32Array(cfg.n);
    this.perms = new Int32Array(Math.max(1, this.S) * this.B);
    const shardMax = Math.ceil(this.B / this.T) + 1;
    this.es = new Float32Array(shardMax * d);
    this.esT = new Float32Array(shardMax * d);
    this.uAll = new Float32Array(shardMax * d);
    this.vAll = new Float32Array(shardMax * d);
    this.vT = new Float32Array(shardMax * d);
    this.wT = new Float32Array(this.L > 0 ? d * d : 0);
    this.eb = new Float32Array(shardMax);
    this.sumGs = new Float64Array(shardMax);
    this.acts = new Float32Array(Math.max(1, this.L) * d);
    this.delta = new Float32Array(d);
    this.delta2 = new Float32Array(d);
    this.wLast = this.L > 0 ? layout.denseOffset + (this.L - 1) * layout.layerStride : 0;
    this.bLast = this.wLast + d * d;
  }

  /** Owned table rows: approximately normal (Irwin–Hall of 4 uniform bytes); worker 0 also the dense layers. */
  initialise(): void {
    const { cfg, layout, p, d, T } = this;
    const unit = 1 / Math.sqrt((4 * (256 * 256 - 1)) / 12);
    for (let r = this.w; r < layout.totalRows; r += T) {
      const level =
        r < layout.base8
          ? -1
          : r < layout.base16
            ? 0
            : r < layout.base24
              ? 1
              : r < layout.base32
                ? 2
                : 3;
      if (level >= 0 && (cfg.levelMask & (1 << level)) === 0) continue; // unused level: zeros
      const scale = (r < layout.base24 ? cfg.initStd : cfg.hashedInitStd) * unit;
      if (scale === 0) continue; // the SharedArrayBuffer starts zeroed
      const rng = new Rng(hash3(cfg.seed, r, 0x1217));
      const o = r * d;
      for (let k = 0; k < d; k++) {
        const x = rng.nextU32();
        p[o + k] = ((x & 255) + ((x >>> 8) & 255) + ((x >>> 16) & 255) + (x >>> 24) - 510) * scale;
      }
    }
    if (this.w !== 0) return;
    // torch.nn.Linear's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases.
    const bound = 1 / Math.sqrt(d);
    for (let l = 0; l < layout.numLayers; l++) {
      const rng = new Rng(hash3(cfg.seed, 0xde45, l));
      const o = layout.denseOffset + l * layout.layerStride;
      for (let k = 0; k < layout.layerStride; k++) p[o + k] = (2 * rng.next() - 1) * bound;
    }
  }

  /** Shuffled-negative permutations of the batch; returns the batch's pair count. */
  private preparePerms(epochSeed: number, batch: number, start: number, b: number): number {
    const { S, B, perms, ent, order } = this;
    let weightTotal = b * (1 + this.R);
    if (S === 0) return weightTotal;
    const rng = new Rng(hash3(epochSeed, batch, 0x5aff));
    for (let r = 0; r < S; r++) {
      const base = r * B;
      shuffleInto(perms, base, b, rng);
      for (let i = 0; i < b; i++)
        if (ent[order[start + i]!]! !== ent[order[start + perms[base + i]!]!]!) weightTotal++;
    }
    return weightTotal;
  }

  /** Phase A, part 1: the slice's entity vectors, and `W_Lᵀe`, `e·b_L` for each. */
  private gatherEntities(start: number, lo: number, bs: number): void {
    const { d, p, es, ent, order, posEnt } = this;
    for (let i = 0; i < bs; i++) {
      const eRow = ent[order[start + lo + i]!]!;
      posEnt[lo + i] = eRow;
      const eo = eRow * d;
      const so = i * d;
      for (let k = 0; k < d; k++) es[so + k] = p[eo + k]!;
    }
    if (this.L > 0) {
      transpose(p, this.wLast, d, d, this.wT);
      gemmABt(es, 0, d, this.wT, 0, d, this.uAll, 0, d, bs, d, d, false);
      for (let i = 0; i < bs; i++) this.eb[i] = dot(es, i * d, p, this.bLast, d);
    } else this.uAll.set(es.subarray(0, bs * d));
  }

  /** Phase A, part 2: every pair of position `pos` (slice index `i`): loss and gradients. */
  private pairsOf(pos: number, i: number, start: number, epochSeed: number, invW: number): void {
    const { d, L, R, K, B, p, occRows, occGrad, uAll, vAll, acts, ips, ent, order, perms } = this;
    const g0 = order[start + pos]!;
    const eRow = this.posEnt[pos]!;
    const uo = i * d;
    const vo = i * d;
    const lastOff = Math.max(0, L - 1) * d;
    const eb = this.eb[i]!;
    vAll.fill(0, vo, vo + d);
    let sumG = 0;
    let lossSum = 0;
    let correct = 0;
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
      prefixRows(this.layout, ip, occRows, ro4);
      const r0 = occRows[ro4]! * d;
      const r1 = occRows[ro4 + 1]! * d;
      const r2 = occRows[ro4 + 2]! * d;
      const r3 = occRows[ro4 + 3]! * d;
      for (let k = 0; k < d; k++) acts[k] = p[r0 + k]! + p[r1 + k]! + p[r2 + k]! + p[r3 + k]!;
      if (L > 1) this.hiddenForward();
      const z = (L > 0 ? eb : 0) + dot(uAll, uo, acts, lastOff, d);
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
      } else this.hiddenBackward(g, uo, go);
    }
    this.sumGs[i] = sumG;
    this.lossSum += lossSum;
    this.correct += correct;
  }

  /** acts[l+1] = relu(W_l acts[l] + b_l) for the hidden layers (L >= 2). */
  private hiddenForward(): void {
    const { d, L, p, acts, layout } = this;
    for (let l = 0; l + 1 < L; l++) {
      const wo = layout.denseOffset + l * layout.layerStride;
      const bo = wo + d * d;
      const io = l * d;
      const oo = io + d;
      for (let o = 0; o < d; o++)
        acts[oo + o] = Math.max(0, p[bo + o]! + dot(p, wo + o * d, acts, io, d));
    }
  }

  /** Back through the hidden layers from dLoss/dh_{L-1} = g·u; writes dLoss/d(prefix sum). */
  private hiddenBackward(g: number, uo: number, go: number): void {
    const { d, L, p, acts, layout, delta, delta2, densePart, uAll } = this;
    for (let k = 0; k < d; k++) delta[k] = g * uAll[uo + k]!;
    for (let l = L - 2; l >= 0; l--) {
      const wo = layout.denseOffset + l * layout.layerStride;
      const io = l * d;
      const oo = io + d;
      const po = this.myDense + l * layout.layerStride;
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
    this.occGrad.set(delta, go);
  }

  /** Phase A, part 3: entity gradients (W v + b Σg) and the last layer's dW, db. */
  private entityAndDenseGrads(lo: number, bs: number): void {
    const { d, p, entGrad, vAll, es, sumGs, densePart } = this;
    if (this.L === 0) {
      entGrad.set(vAll.subarray(0, bs * d), lo * d);
      return;
    }
    const bLast = this.bLast;
    gemmABt(vAll, 0, d, p, this.wLast, d, entGrad, lo * d, d, bs, d, d, false);
    for (let i = 0; i < bs; i++) {
      const go = (lo + i) * d;
      const sg = sumGs[i]!;
      for (let o = 0; o < d; o++) entGrad[go + o]! += p[bLast + o]! * sg;
    }
    if (bs === 0) return;
    const myLast = this.myDense + (this.L - 1) * this.layout.layerStride;
    transpose(es, 0, bs, d, this.esT);
    transpose(vAll, 0, bs, d, this.vT);
    gemmABt(this.esT, 0, bs, this.vT, 0, bs, densePart, myLast, d, d, d, bs, true);
    const dbo = myLast + d * d;
    for (let i = 0; i < bs; i++) {
      const sg = sumGs[i]!;
      const so = i * d;
      for (let o = 0; o < d; o++) densePart[dbo + o]! += es[so + o]! * sg;
    }
  }

  /** Phase B, part 1: sums the gradients of owned rows into slots, in batch order. */
  private scatter(b: number): number {
    const { T, w, posEnt, occRows, entGrad, occGrad, d } = this;
    const mask = this.cfg.levelMask;
    let slots = 0;
    for (let i = 0; i < b; i++) {
      const row = posEnt[i]!;
      if (row % T === w) slots = this.accumulate(row, entGrad, i * d, slots);
    }
    const occCount = b * this.K;
    for (let occ = 0; occ < occCount; occ++) {
      const ro4 = occ * 4;
      if (occRows[ro4]! < 0) continue;
      for (let lvl = 0; lvl < 4; lvl++) {
        if ((mask & (1 << lvl)) === 0) continue;
        const row = occRows[ro4 + lvl]!;
        if (row % T === w) slots = this.accumulate(row, occGrad, occ * d, slots);
      }
    }
    return slots;
  }

  private accumulate(row: number, src: Float32Array, so: number, slots: number): number {
    const { d, slotGrad, rowSlot } = this;
    let s = rowSlot[row]!;
    if (s < 0) {
      s = slots++;
      rowSlot[row] = s;
      this.slotRow[s] = row;
      const o = s * d;
      for (let k = 0; k < d; k++) slotGrad[o + k] = src[so + k]!;
      return slots;
    }
    const o = s * d;
    for (let k = 0; k < d; k++) slotGrad[o + k]! += src[so + k]!;
    return slots;
  }

  /**
   * Phase B, part 2: Adam on the touched rows, as torch's
   * `p -= lr/bc1 · m / (sqrt(v)/sqrt(bc2) + eps)`, rewritten with one division.
   */
  private adamRows(slots: number, stepSize: number, epsHat: number): void {
    const { d, p, st, slotGrad, slotRow, rowSlot } = this;
    const wd = this.cfg.weightDecay;
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
  }

  private adamDense(stepSize: number, epsHat: number): void {
    const { p, st, densePart, denseFloats, T, w, layout } = this;
    const wd = this.cfg.weightDecay;
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

  run(post: (m: WorkerMessage) => void): void {
    const { cfg, B, T, w, ctl } = this;
    const n = cfg.n;
    this.initialise();
    barrier(ctl, T);
    let step = 0;
    const batches = Math.ceil(n / B);
    for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
      const t0 = performance.now();
      shuffleInto(this.order, 0, n, new Rng(hash3(cfg.seed, epoch, 0x5eed)));
      const epochSeed = hash3(cfg.seed, epoch, 0xe90c);
      this.lossSum = 0;
      this.correct = 0;
      let pairSum = 0;
      for (let batch = 0; batch < batches; batch++) {
        const start = batch * B;
        const b = Math.min(B, n - start);
        step++;
        const weightTotal = this.preparePerms(epochSeed, batch, start, b);
        if (w === 0) pairSum += weightTotal;
        if (this.L > 0) this.densePart.fill(0, this.myDense, this.myDense + this.denseFloats);
        const lo = Math.floor((b * w) / T);
        const hi = Math.floor((b * (w + 1)) / T);
        this.gatherEntities(start, lo, hi - lo);
        const invW = 1 / weightTotal;
        for (let pos = lo; pos < hi; pos++) this.pairsOf(pos, pos - lo, start, epochSeed, invW);
        this.entityAndDenseGrads(lo, hi - lo);
        barrier(ctl, T);
        const slots = this.scatter(b);
        const bc1 = 1 - BETA1 ** step;
        const bc2Sqrt = Math.sqrt(1 - BETA2 ** step);
        const stepSize = (cfg.learningRate * bc2Sqrt) / bc1;
        const epsHat = EPS * bc2Sqrt;
        this.adamRows(slots, stepSize, epsHat);
        if (this.L > 0) this.adamDense(stepSize, epsHat);
        barrier(ctl, T);
        if (w === 0) Atomics.store(ctl, CTL.batchesDone, batch + 1);
      }
      const so = w * STATS_STRIDE;
      this.stats[so] = this.lossSum;
      this.stats[so + 1] = pairSum;
      this.stats[so + 2] = this.correct;
      barrier(ctl, T);
      if (w === 0) post({ type: 'epoch', epoch, seconds: (performance.now() - t0) / 1000 });
      while (Atomics.load(ctl, CTL.allowedEpochs) <= epoch)
        Atomics.wait(ctl, CTL.allowedEpochs, epoch, 1000);
      if (w === 0) Atomics.store(ctl, CTL.batchesDone, 0);
    }
    if (w === 0) post({ type: 'done' });
  }
}

/** Runs the whole training loop as worker `w` of `cfg.threads` (see {@link TrainingWorker}). */
export function runTrainingWorker(
  cfg: KernelConfig,
  buf: KernelBuffers,
  w: number,
  post: (m: WorkerMessage) => void,
): void {
  new TrainingWorker(cfg, buf, w).run(post);
}
