import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import type { CalibrationResult } from './calibrate.js';
import type { CalibrationMetrics } from './types.js';

const W = 640;
const H = 360;
const M = { left: 60, right: 20, top: 36, bottom: 48 };

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 || (Math.abs(v) < 0.001 && v !== 0)
    ? v.toExponential(2)
    : v.toFixed(digits);
}

function niceTicks(lo: number, hi: number, count = 6): number[] {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((s) => s * mag).find((s) => span / s <= count) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    out.push(Number(t.toPrecision(12)));
  return out;
}

function frame(title: string, xLabel: string, yLabel: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">
<rect width="${W}" height="${H}" fill="#ffffff"/>
<text x="${W / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>
<text x="${(M.left + W - M.right) / 2}" y="${H - 10}" text-anchor="middle">${esc(xLabel)}</text>
<text transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>
${body}
</svg>
`;
}

function axes(
  xs: (v: number) => number,
  ys: (v: number) => number,
  xt: number[],
  yt: number[],
): string {
  const x0 = M.left;
  const y0 = H - M.bottom;
  let s = `<line x1="${x0}" y1="${y0}" x2="${W - M.right}" y2="${y0}" stroke="#333"/>`;
  s += `<line x1="${x0}" y1="${M.top}" x2="${x0}" y2="${y0}" stroke="#333"/>`;
  for (const t of xt)
    s += `<line x1="${xs(t)}" y1="${y0}" x2="${xs(t)}" y2="${y0 + 5}" stroke="#333"/><text x="${xs(t)}" y="${y0 + 18}" text-anchor="middle">${fmt(t, 2)}</text>`;
  for (const t of yt)
    s += `<line x1="${x0 - 5}" y1="${ys(t)}" x2="${x0}" y2="${ys(t)}" stroke="#333"/><line x1="${x0}" y1="${ys(t)}" x2="${W - M.right}" y2="${ys(t)}" stroke="#eee"/><text x="${x0 - 8}" y="${ys(t) + 4}" text-anchor="end">${fmt(t, 2)}</text>`;
  return s;
}

/** SVG: density histograms of normal and anomalous dot products with the threshold line. */
export function histogramSvg(
  normal: Float64Array,
  anomalous: Float64Array,
  threshold: number,
  bins = 60,
): string {
  const all = Float64Array.from([...normal, ...anomalous]).sort();
  const lo = Math.min(all[Math.floor(all.length * 0.001)] ?? 0, threshold);
  const hi = Math.max(
    all[Math.min(all.length - 1, Math.floor(all.length * 0.999))] ?? 1,
    threshold,
  );
  const width = (hi - lo) / bins || 1;
  const density = (values: Float64Array) => {
    const c = new Float64Array(bins);
    for (const v of values) c[Math.max(0, Math.min(bins - 1, Math.floor((v - lo) / width)))]! += 1;
    return c.map((x) => x / (values.length || 1));
  };
  const dn = density(normal);
  const da = density(anomalous);
  const ymax = Math.max(...dn, ...da) * 1.08 || 1;
  const xs = (v: number) => M.left + ((v - lo) / (hi - lo)) * (W - M.left - M.right);
  const ys = (v: number) => H - M.bottom - (v / ymax) * (H - M.top - M.bottom);
  let body = axes(xs, ys, niceTicks(lo, hi), niceTicks(0, ymax, 5));
  for (const [d, color] of [
    [da, '#d62728'],
    [dn, '#1f77b4'],
  ] as const) {
    for (let b = 0; b < bins; b++) {
      if (d[b]! <= 0) continue;
      const x = xs(lo + b * width);
      body += `<rect x="${x.toFixed(1)}" y="${ys(d[b]!).toFixed(1)}" width="${(xs(lo + (b + 1) * width) - x).toFixed(1)}" height="${(H - M.bottom - ys(d[b]!)).toFixed(1)}" fill="${color}" fill-opacity="0.5"/>`;
    }
  }
  const tx = xs(threshold);
  body += `<line x1="${tx}" y1="${M.top}" x2="${tx}" y2="${H - M.bottom}" stroke="#000" stroke-width="2" stroke-dasharray="6 4"/>`;
  body += `<text x="${tx + 4}" y="${M.top + 12}">threshold ${fmt(threshold)}</text>`;
  body += `<rect x="${W - 190}" y="${M.top + 4}" width="12" height="12" fill="#1f77b4" fill-opacity="0.5"/><text x="${W - 172}" y="${M.top + 14}">normal (${normal.length})</text>`;
  body += `<rect x="${W - 190}" y="${M.top + 22}" width="12" height="12" fill="#d62728" fill-opacity="0.5"/><text x="${W - 172}" y="${M.top + 32}">anomalous (${anomalous.length})</text>`;
  return frame(
    'dot_product: normal vs anomalous pairs',
    'dot_product (flag when below the threshold)',
    'fraction of pairs',
    body,
  );
}

/** SVG: the ROC curve with the chosen operating point. */
export function rocSvg(metrics: CalibrationMetrics): string {
  const xs = (v: number) => M.left + v * (W - M.left - M.right);
  const ys = (v: number) => H - M.bottom - v * (H - M.top - M.bottom);
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  let body = axes(xs, ys, ticks, ticks);
  body += `<line x1="${xs(0)}" y1="${ys(0)}" x2="${xs(1)}" y2="${ys(1)}" stroke="#999" stroke-dasharray="4 4"/>`;
  const pts = metrics.roc.map((p) => `${xs(p.fpr).toFixed(1)},${ys(p.tpr).toFixed(1)}`).join(' ');
  body += `<polyline points="${pts}" fill="none" stroke="#1f77b4" stroke-width="2"/>`;
  body += `<circle cx="${xs(metrics.fpr)}" cy="${ys(metrics.tpr)}" r="5" fill="#d62728"/>`;
  body += `<text x="${xs(metrics.fpr) + 10}" y="${ys(metrics.tpr) - 10}">FPR ${fmt(metrics.fpr)}, TPR ${fmt(metrics.tpr)}</text>`;
  body += `<text x="${W - M.right - 10}" y="${H - M.bottom - 12}" text-anchor="end">AUC ${fmt(metrics.auc, 4)}</text>`;
  return frame(
    'ROC curve (anomalous = positive)',
    'false-positive rate',
    'true-positive rate',
    body,
  );
}

function metricsTable(metrics: CalibrationMetrics, modelVersion: string): string {
  const rows: Array<[string, string]> = [
    ['model version', modelVersion],
    ['threshold (flag when dot_product is below)', fmt(metrics.threshold, 4)],
    ['target FPR', fmt(metrics.targetFpr, 4)],
    ['FPR at threshold', fmt(metrics.fpr, 4)],
    ['TPR (recall) at threshold', fmt(metrics.tpr, 4)],
    ['precision at threshold', fmt(metrics.precision, 4)],
    ['F1 at threshold', fmt(metrics.f1, 4)],
    ['ROC AUC', fmt(metrics.auc, 4)],
    ['TPR at 1 % FPR', fmt(metrics.tprAtFpr1pct, 4)],
    ['TPR at 0.1 % FPR', fmt(metrics.tprAtFpr01pct, 4)],
    ['normal pairs', String(metrics.nNormal)],
    ['anomalous pairs', `${metrics.nAnomalous} (${metrics.anomalySource})`],
    ['calibrated at', metrics.calibratedAt],
  ];
  return `<table>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</table>`;
}

/** The files a calibration report consists of. */
export interface ReportFiles {
  readonly html: string;
  readonly histogramSvg: string;
  readonly rocSvg: string;
  readonly histogramPng: string;
  readonly rocPng: string;
}

/**
 * Writes the calibration report into `dir`: `report.html` (charts inline as SVG, plus the
 * metrics table), and each chart as `.svg` and `.png`.
 */
export async function writeCalibrationReport(
  dir: string,
  result: CalibrationResult,
  modelVersion: string,
): Promise<ReportFiles> {
  await mkdir(dir, { recursive: true });
  const hist = histogramSvg(result.normalDots, result.anomalousDots, result.metrics.threshold);
  const roc = rocSvg(result.metrics);
  const files: ReportFiles = {
    html: join(dir, 'report.html'),
    histogramSvg: join(dir, 'histogram.svg'),
    rocSvg: join(dir, 'roc.svg'),
    histogramPng: join(dir, 'histogram.png'),
    rocPng: join(dir, 'roc.png'),
  };
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>IP Insights calibration — ${esc(modelVersion)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:4px 10px;text-align:left}th{background:#f4f4f4}.charts{display:flex;flex-wrap:wrap;gap:16px}</style>
</head><body>
<h1>IP Insights calibration</h1>
<p>Pairs whose <code>dot_product</code> is below the threshold are flagged as anomalous. The threshold
flags ${fmt(result.metrics.targetFpr * 100, 2)} % of the normal calibration pairs at most.</p>
<div class="charts">${hist}${roc}</div>
<h2>Metrics</h2>
${metricsTable(result.metrics, modelVersion)}
</body></html>
`;
  const png = (svg: string) => new Resvg(svg, { font: { loadSystemFonts: true } }).render().asPng();
  await Promise.all([
    writeFile(files.html, html),
    writeFile(files.histogramSvg, hist),
    writeFile(files.rocSvg, roc),
    writeFile(files.histogramPng, png(hist)),
    writeFile(files.rocPng, png(roc)),
  ]);
  return files;
}
