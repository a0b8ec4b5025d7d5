import { performance } from 'node:perf_hooks';
import { CidrIndex, GeoAsnDatabase, parseFeed } from '@lakewatch/intel';

/**
 * `npm run bench:intel`: the enrich service's look-ups at scale. Builds a reputation index of
 * 1 M networks (a FireHOL-style netset text: /32 hosts, /24s and wider networks, as real
 * feeds mix them) by parsing the text, then times look-ups of random addresses; also the
 * ASN/country tables' load time and look-up rate. Last line: one JSON object.
 */
export async function main(): Promise<number> {
  const entries = Number(process.env.BENCH_INTEL_ENTRIES ?? 1_000_000);
  let seed = 42;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) >>> 0;
    return seed;
  };
  const quad = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
  const lines: string[] = ['# synthetic netset'];
  for (let i = 0; i < entries; i++) {
    const r = rand();
    const bits = i % 10 < 7 ? 32 : i % 10 < 9 ? 24 : 16;
    lines.push(bits === 32 ? quad(r) : `${quad(r)}/${bits}`);
  }
  const text = lines.join('\n');

  const t0 = performance.now();
  const feed = parseFeed('synthetic', text, 'test');
  const t1 = performance.now();
  const index = CidrIndex.fromParsed(feed.entries);
  const t2 = performance.now();

  const probes: string[] = [];
  for (let i = 0; i < 500_000; i++) probes.push(quad(rand()));
  let hits = 0;
  const t3 = performance.now();
  for (const ip of probes) if (index.lookup(ip).length > 0) hits += 1;
  const t4 = performance.now();
  const lookupsPerSec = Math.round(probes.length / ((t4 - t3) / 1000));

  const g0 = performance.now();
  const geo = await GeoAsnDatabase.load();
  const g1 = performance.now();
  let asnHits = 0;
  for (const ip of probes.slice(0, 200_000)) if (geo.asnOf(ip)) asnHits += 1;
  const g2 = performance.now();

  const out = {
    bench: 'intel',
    entries: index.size,
    malformed: feed.malformed.length,
    parseMs: Math.round(t1 - t0),
    buildMs: Math.round(t2 - t1),
    lookups: probes.length,
    lookupsPerSec,
    hitRate: hits / probes.length,
    heapMb: Math.round(process.memoryUsage().heapUsed / 1e6),
    asnLoadMs: Math.round(g1 - g0),
    asnRanges: geo.size.asnRanges,
    asnLookupsPerSec: Math.round(200_000 / ((g2 - g1) / 1000)),
    asnHitRate: asnHits / 200_000,
  };
  console.log(
    `reputation index: ${out.entries} networks parsed in ${out.parseMs} ms, indexed in ${out.buildMs} ms; ` +
      `${out.lookupsPerSec} look-ups/s (${(out.hitRate * 100).toFixed(1)}% hit)`,
  );
  console.log(
    `ASN/country: ${out.asnRanges} ranges loaded in ${out.asnLoadMs} ms; ${out.asnLookupsPerSec} look-ups/s`,
  );
  console.log(JSON.stringify(out));
  return 0;
}
