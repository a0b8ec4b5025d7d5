import type { BacktestReport } from './report.js';

const W = 720;
const H = 360;
const M = { left: 64, right: 20, top: 40, bottom: 70 };
const COLORS = { baseline: '#1f77b4', candidate: '#d62728' } as const;

/** Escapes text for SVG and HTML. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const mag = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].map((s) => s * mag).find((s) => s >= v) ?? 10 * mag) as number;
}

function frame(title: string, yLabel: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, sans-serif" font-size="11">
<rect width="${W}" height="${H}" fill="#ffffff"/>
<text x="${W / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>
<text transform="translate(14 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>
<rect x="${W - 200}" y="26" width="10" height="10" fill="${COLORS.baseline}"/><text x="${W - 186}" y="35">baseline</text>
<rect x="${W - 110}" y="26" width="10" height="10" fill="${COLORS.candidate}"/><text x="${W - 96}" y="35">candidate</text>
${body}
</svg>
`;
}

function yAxis(max: number): { ys: (v: number) => number; svg: string } {
  const ys = (v: number) => H - M.bottom - (v / max) * (H - M.top - M.bottom);
  let svg = `<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="#333"/>`;
  svg += `<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="#333"/>`;
  for (let i = 0; i <= 5; i++) {
    const v = (max * i) / 5;
    svg += `<line x1="${M.left}" y1="${ys(v)}" x2="${W - M.right}" y2="${ys(v)}" stroke="#eee"/><text x="${M.left - 6}" y="${ys(v) + 4}" text-anchor="end">${Number(v.toPrecision(3))}</text>`;
  }
  return { ys, svg };
}

/** Grouped bars: baseline vs candidate per category. */
function groupedBars(
  title: string,
  yLabel: string,
  rows: ReadonlyArray<{ label: string; baseline: number; candidate: number }>,
): string {
  const max = niceMax(Math.max(0, ...rows.map((r) => Math.max(r.baseline, r.candidate))));
  const { ys, svg } = yAxis(max);
  const slot = (W - M.left - M.right) / Math.max(1, rows.length);
  const bar = Math.max(1, slot * 0.38);
  let body = svg;
  rows.forEach((r, i) => {
    const x = M.left + i * slot + slot * 0.1;
    for (const [k, dx] of [
      ['baseline', 0],
      ['candidate', bar],
    ] as const) {
      const v = r[k];
      body += `<rect x="${(x + dx).toFixed(1)}" y="${ys(v).toFixed(1)}" width="${bar.toFixed(1)}" height="${(H - M.bottom - ys(v)).toFixed(1)}" fill="${COLORS[k]}"/>`;
      // small counts stay readable next to large ones
      if (rows.length <= 31)
        body += `<text x="${(x + dx + bar / 2).toFixed(1)}" y="${(ys(v) - 3).toFixed(1)}" text-anchor="middle" font-size="9">${v}</text>`;
    }
    const lx = x + bar;
    body += `<text transform="translate(${lx.toFixed(1)} ${H - M.bottom + 12}) rotate(35)" font-size="10">${esc(r.label)}</text>`;
  });
  return frame(title, yLabel, body);
}

/** SVG: alerts per day, baseline vs candidate. */
export function alertsPerDaySvg(r: BacktestReport): string {
  return groupedBars(
    'Alerts per day (UTC)',
    'alerts',
    r.perDay.map((d) => ({ label: d.day, baseline: d.baseline, candidate: d.candidate })),
  );
}

/** SVG: the 20 entities with the most alerts. */
export function alertsPerEntitySvg(r: BacktestReport): string {
  return groupedBars(
    'Alerts per entity (top 20)',
    'alerts',
    r.perEntity.slice(0, 20).map((e) => ({ ...e, label: e.entity })),
  );
}

/** SVG: dot-product histograms of both sides with both thresholds. */
export function scoreHistogramSvg(r: BacktestReport): string {
  const h = r.scoreHistogram;
  const frac = (c: number[]) => {
    const n = c.reduce((a, b) => a + b, 0) || 1;
    return c.map((x) => x / n);
  };
  const b = frac(h.baseline);
  const c = frac(h.candidate);
  const max = niceMax(Math.max(0, ...b, ...c));
  const { ys, svg } = yAxis(max);
  const lo = h.edges[0] ?? 0;
  const hi = h.edges[h.edges.length - 1] ?? 1;
  const xs = (v: number) =>
    M.left + ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo || 1)) * (W - M.left - M.right);
  let body = svg;
  for (const [vals, color] of [
    [b, COLORS.baseline],
    [c, COLORS.candidate],
  ] as const) {
    const pts = vals.map((v, i) => {
      const x = (xs(h.edges[i]!) + xs(h.edges[i + 1]!)) / 2;
      return `${x.toFixed(1)},${ys(v).toFixed(1)}`;
    });
    body += `<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`;
  }
  for (const e of [lo, (lo + hi) / 2, hi])
    body += `<text x="${xs(e)}" y="${H - M.bottom + 16}" text-anchor="middle">${Number(e.toPrecision(3))}</text>`;
  for (const [side, color, y] of [
    [r.baseline, COLORS.baseline, M.top + 12],
    [r.candidate, COLORS.candidate, M.top + 26],
  ] as const) {
    const x = xs(side.threshold);
    body += `<line x1="${x}" y1="${M.top}" x2="${x}" y2="${H - M.bottom}" stroke="${color}" stroke-dasharray="6 4"/>`;
    body += `<text x="${x + 4}" y="${y}" fill="${color}">threshold ${Number(side.threshold.toPrecision(4))}</text>`;
  }
  body += `<text x="${(M.left + W - M.right) / 2}" y="${H - 20}" text-anchor="middle">dot_product of every verdict (flagged when below the threshold)</text>`;
  return frame('Score distribution', 'fraction of verdicts', body);
}
