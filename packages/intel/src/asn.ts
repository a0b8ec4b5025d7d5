import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ipv6ToBigInt } from './address.js';
import { RangeIndex } from './cidr-index.js';
import { splitCsvLine } from './csv.js';
import { IntelError } from './errors.js';

/** An autonomous system. */
export interface AsnInfo {
  number: number;
  organization: string;
}

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch (cause) {
    throw new IntelError(`the data package ${name} is not installed`, { cause });
  }
}

async function loadRanges<T>(
  v4File: string,
  v6File: string,
  value: (fields: string[]) => T | undefined,
): Promise<RangeIndex<T>> {
  const s4: number[] = [];
  const e4: number[] = [];
  const v4: T[] = [];
  const text4 = await readFile(v4File, 'utf8');
  for (let at = 0; at < text4.length; ) {
    let nl = text4.indexOf('\n', at);
    if (nl < 0) nl = text4.length;
    // `start,end,rest…`: the numeric columns need no CSV parsing
    const c1 = text4.indexOf(',', at);
    const c2 = text4.indexOf(',', c1 + 1);
    if (c1 > at && c2 > c1 && c2 < nl) {
      const rest = text4.slice(c2 + 1, nl);
      const v = value(rest.includes('"') ? splitCsvLine(rest) : rest.split(','));
      if (v !== undefined) {
        s4.push(Number(text4.slice(at, c1)));
        e4.push(Number(text4.slice(c1 + 1, c2)));
        v4.push(v);
      }
    }
    at = nl + 1;
  }
  const s6: bigint[] = [];
  const e6: bigint[] = [];
  const v6: T[] = [];
  for (const line of (await readFile(v6File, 'utf8')).split('\n')) {
    if (!line) continue;
    const f = splitCsvLine(line);
    const start = ipv6ToBigInt(f[0] ?? '');
    const end = ipv6ToBigInt(f[1] ?? '');
    const v = value(f.slice(2));
    if (start === undefined || end === undefined || v === undefined) continue;
    s6.push(start);
    e6.push(end);
    v6.push(v);
  }
  return new RangeIndex(Uint32Array.from(s4), Uint32Array.from(e4), v4, s6, e6, v6);
}

/**
 * ASN and country of public addresses, from the `@ip-location-db/asn` (RouteViews and DB-IP,
 * CC BY 4.0) and `@ip-location-db/asn-country` (CC0) packages.
 */
export class GeoAsnDatabase {
  private constructor(
    private readonly asn: RangeIndex<AsnInfo>,
    private readonly country: RangeIndex<string>,
  ) {}

  /** Loads both tables (about a second). */
  static async load(): Promise<GeoAsnDatabase> {
    const asnDir = packageDir('@ip-location-db/asn');
    const countryDir = packageDir('@ip-location-db/asn-country');
    const [asn, country] = await Promise.all([
      loadRanges(join(asnDir, 'asn-ipv4-num.csv'), join(asnDir, 'asn-ipv6.csv'), (f) => {
        const number = Number(f[0]);
        return Number.isInteger(number) ? { number, organization: f[1] ?? '' } : undefined;
      }),
      loadRanges(
        join(countryDir, 'asn-country-ipv4-num.csv'),
        join(countryDir, 'asn-country-ipv6.csv'),
        (f) => (f[0] && /^[A-Z]{2}$/.test(f[0]) ? f[0] : undefined),
      ),
    ]);
    return new GeoAsnDatabase(asn, country);
  }

  /** The AS announcing `ip`, if known. */
  asnOf(ip: string): AsnInfo | undefined {
    return this.asn.lookup(ip);
  }

  /** ISO 3166 alpha-2 country of `ip`, if known. */
  countryOf(ip: string): string | undefined {
    return this.country.lookup(ip);
  }

  get size(): { asnRanges: number; countryRanges: number } {
    return { asnRanges: this.asn.size, countryRanges: this.country.size };
  }
}
