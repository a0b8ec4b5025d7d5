import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { alertsPerDaySvg, alertsPerEntitySvg, esc, scoreHistogramSvg } from './charts.js';
import type { BacktestReport, SideSummary } from './report.js';

/** The files of a backtest report. */
export interface BacktestFiles {
  /** Deterministic: the same backtest gives the same bytes. */
  json: string;
  html: string;
  /** When and how the run happened (not part of the comparison). */
  run: string;
  charts: string[];
}

const fmt = (v: number | null | undefined): string =>
  v === null || v === undefined ? '—' : Number.isInteger(v) ? String(v) : v.toFixed(4);

function sideRows(b: SideSummary, c: SideSummary): string {
  const rows: Array<[string, string, string]> = [
    ['model', b.model, c.model],
    ['threshold', fmt(b.threshold), fmt(c.threshold)],
    ['verdicts', fmt(b.verdicts), fmt(c.verdicts)],
    ['distinct pairs', fmt(b.pairs), fmt(c.pairs)],
    ['anomalous pairs', fmt(b.anomalousPairs), fmt(c.anomalousPairs)],
    ['alerts', fmt(b.alerts), fmt(c.alerts)],
    [
      'dot_product p05 / p50 / p95',
      `${fmt(b.dotProduct.p05)} / ${fmt(b.dotProduct.p50)} / ${fmt(b.dotProduct.p95)}`,
      `${fmt(c.dotProduct.p05)} / ${fmt(c.dotProduct.p50)} / ${fmt(c.dotProduct.p95)}`,
    ],
  ];
  if (b.metrics && c.metrics)
    rows.push(
      [
        'labelled pairs (anomalous)',
        `${b.metrics.labelledPairs} (${b.metrics.positives})`,
        `${c.metrics.labelledPairs} (${c.metrics.positives})`,
      ],
      [
        'true / false positives',
        `${b.metrics.truePositives} / ${b.metrics.falsePositives}`,
        `${c.metrics.truePositives} / ${c.metrics.falsePositives}`,
      ],
      ['precision', fmt(b.metrics.precision), fmt(c.metrics.precision)],
      ['recall', fmt(b.metrics.recall), fmt(c.metrics.recall)],
      ['ROC AUC', fmt(b.metrics.auc), fmt(c.metrics.auc)],
    );
  return `<table><tr><th></th><th>baseline</th><th>candidate</th></tr>${rows.map(([k, x, y]) => `<tr><th>${esc(k)}</th><td>${esc(x)}</td><td>${esc(y)}</td></tr>`).join('')}</table>`;
}

function oneSidedTable(title: string, o: BacktestReport['onlyBaseline']): string {
  const rows = o.alerts
    .slice(0, 50)
    .map(
      (a) =>
        `<tr><td>${esc(a.window)}</td><td>${esc(a.entity)}</td><td>${esc(a.ip)}</td><td>${fmt(a.dotProduct)}</td><td>${a.label === undefined ? '' : a.label === 1 ? 'incident' : 'normal'}</td></tr>`,
    )
    .join('');
  return `<h2>${esc(title)}: ${o.count}</h2><table><tr><th>window</th><th>entity</th><th>IP</th><th>dot_product</th><th>label</th></tr>${rows}</table>`;
}

/**
 * Writes `report.json` (the comparison; byte-identical for the same backtest), `report.html`
 * (charts inline as SVG, tables), each chart as `.svg` and `.png`, and `run.json` (when,
 * the replay's name, timings: what differs between two runs of the same backtest).
 */
export async function writeBacktestReport(
  dir: string,
  report: BacktestReport,
  run: Record<string, unknown>,
): Promise<BacktestFiles> {
  await mkdir(dir, { recursive: true });
  const charts = {
    'alerts-per-day': alertsPerDaySvg(report),
    'alerts-per-entity': alertsPerEntitySvg(report),
    'score-distribution': scoreHistogramSvg(report),
  };
  const labels = report.labels
    ? `Labels: ${esc(report.labels.sources.join(', '))} (${report.labels.complete ? 'complete ground truth: unlisted pairs are normal' : 'analyst feedback: only labelled pairs count'}), ${report.labels.pairs} labelled pairs seen.`
    : 'No labels given: precision, recall and AUC need --labels (ground truth or feedback).';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Lakewatch backtest ${esc(report.runId)}</title>
<style>body{font-family:sans-serif;margin:2em;max-width:1500px}table{border-collapse:collapse;margin-bottom:1em}th,td{border:1px solid #ccc;padding:3px 9px;text-align:left}th{background:#f4f4f4}.charts{display:flex;flex-wrap:wrap;gap:16px}</style>
</head><body>
<h1>Backtest ${esc(report.runId)}</h1>
<p>Archived <code>NetworkPairsObserved</code> events from ${esc(report.window.from)} to ${esc(report.window.to)}, replayed through the score service in shadow mode. An alert is an anomalous (entity, IP) counted once per ${report.alertWindowSeconds} s window of event time. ${labels}</p>
${sideRows(report.baseline, report.candidate)}
<div class="charts">${Object.values(charts).join('')}</div>
${oneSidedTable('Alerts only the candidate raises', report.onlyCandidate)}
${oneSidedTable('Alerts only the baseline raises', report.onlyBaseline)}
</body></html>
`;
  const files: BacktestFiles = {
    json: join(dir, 'report.json'),
    html: join(dir, 'report.html'),
    run: join(dir, 'run.json'),
    charts: [],
  };
  const writes = [
    writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`),
    writeFile(files.html, html),
    writeFile(files.run, `${JSON.stringify(run, null, 2)}\n`),
  ];
  for (const [name, svg] of Object.entries(charts)) {
    const png = new Resvg(svg, { font: { loadSystemFonts: true } }).render().asPng();
    files.charts.push(join(dir, `${name}.svg`), join(dir, `${name}.png`));
    writes.push(writeFile(join(dir, `${name}.svg`), svg), writeFile(join(dir, `${name}.png`), png));
  }
  await Promise.all(writes);
  return files;
}
