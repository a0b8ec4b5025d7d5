import { readFile, stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { type ParsedCidr, parseCidr } from './address.js';
import { CidrIndex } from './cidr-index.js';
import { splitCsvLine } from './csv.js';
import { IntelError } from './errors.js';

/** A reputation feed's verdict on a network. */
export interface ReputationHit {
  feed: string;
  /** The IP or CIDR that matched. */
  indicator: string;
  category?: string;
  score?: number;
}

/** A line of a feed that could not be read, kept with its reason. */
export interface MalformedLine {
  feed: string;
  line: number;
  text: string;
  reason: string;
}

/** What parsing a feed produced. */
export interface ParsedFeed {
  name: string;
  format: 'list' | 'csv';
  entries: { cidr: ParsedCidr; value: ReputationHit }[];
  malformed: MalformedLine[];
}

const IP_COLUMNS = ['ip', 'cidr', 'indicator', 'network', 'ip_address', 'address'];

/**
 * Parses a feed: a plain IP/CIDR list or a FireHOL netset (one address or network per line,
 * `#`/`;` comments, anything after the first token ignored), or a CSV with a header naming an
 * address column (`ip`, `cidr`, `indicator`, `network`, …) and optional `score` and
 * `category` columns. A bad line is counted in `malformed` with its reason, never fatal.
 */
export function parseFeed(name: string, text: string, defaultCategory?: string): ParsedFeed {
  const lines = text.split(/\r?\n/);
  const firstData = lines.find((l) => l.trim() !== '' && !/^\s*[#;]/.test(l)) ?? '';
  const isCsv =
    firstData.includes(',') &&
    IP_COLUMNS.some((c) =>
      splitCsvLine(firstData.toLowerCase())
        .map((h) => h.trim())
        .includes(c),
    );
  const feed: ParsedFeed = { name, format: isCsv ? 'csv' : 'list', entries: [], malformed: [] };
  let header: string[] | undefined;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    let indicator: string;
    let category = defaultCategory;
    let score: number | undefined;
    if (isCsv) {
      const fields = splitCsvLine(line).map((f) => f.trim());
      if (!header) {
        header = fields.map((f) => f.toLowerCase());
        return;
      }
      const col = (n: string) => {
        const at = header!.indexOf(n);
        return at < 0 ? undefined : fields[at];
      };
      indicator = IP_COLUMNS.map(col).find((v) => v !== undefined && v !== '') ?? '';
      category = col('category') || category;
      const s = col('score');
      if (s !== undefined && s !== '') {
        score = Number(s);
        if (!Number.isFinite(score)) {
          feed.malformed.push({
            feed: name,
            line: i + 1,
            text: raw,
            reason: `score is not a number: '${s}'`,
          });
          return;
        }
      }
    } else {
      indicator = line.split(/[\s#;]/)[0] ?? '';
    }
    let cidr: ParsedCidr;
    try {
      cidr = parseCidr(indicator);
    } catch (e) {
      feed.malformed.push({ feed: name, line: i + 1, text: raw, reason: (e as Error).message });
      return;
    }
    feed.entries.push({
      cidr,
      value: {
        feed: name,
        indicator,
        ...(category !== undefined && category !== '' && { category }),
        ...(score !== undefined && { score }),
      },
    });
  });
  return feed;
}

/** A feed file and how to name it. */
export interface FeedSource {
  path: string;
  /** @default the file name without its extension */
  name?: string;
  /** Category for entries that name none (plain lists). */
  category?: string;
}

/** Options of {@link ReputationFeeds}. */
export interface ReputationFeedsOptions {
  /** How often files are checked for changes (ms); 0 = never. @default 2000 */
  reloadIntervalMs?: number;
  /** Told of every (re)load. */
  onLoad?: (stats: FeedStats) => void;
}

/** Counts of the loaded feeds. */
export interface FeedStats {
  feeds: { name: string; path: string; entries: number; malformed: number; format: string }[];
  entries: number;
  malformed: MalformedLine[];
  loadedAt: number;
}

/**
 * The reputation feeds a user points at, in one CIDR index; reloaded when a file changes
 * (checked by mtime every `reloadIntervalMs`), swapping the index so lookups never wait.
 */
export class ReputationFeeds {
  private index: CidrIndex<ReputationHit> = CidrIndex.fromParsed([]);
  private mtimes = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  stats: FeedStats = { feeds: [], entries: 0, malformed: [], loadedAt: 0 };

  private constructor(
    private readonly sources: readonly FeedSource[],
    private readonly options: ReputationFeedsOptions,
  ) {}

  /** Loads the feeds. @throws IntelError naming a feed file that cannot be read. */
  static async load(
    sources: readonly FeedSource[],
    options: ReputationFeedsOptions = {},
  ): Promise<ReputationFeeds> {
    const feeds = new ReputationFeeds(sources, options);
    await feeds.reload();
    const every = options.reloadIntervalMs ?? 2000;
    if (every > 0 && sources.length > 0) {
      feeds.timer = setInterval(() => void feeds.reloadIfChanged().catch(() => {}), every);
      feeds.timer.unref();
    }
    return feeds;
  }

  /** Reads every feed again and swaps the index. */
  async reload(): Promise<void> {
    const entries: { cidr: ParsedCidr; value: ReputationHit }[] = [];
    const stats: FeedStats = { feeds: [], entries: 0, malformed: [], loadedAt: Date.now() };
    for (const src of this.sources) {
      let text: string;
      try {
        text = await readFile(src.path, 'utf8');
        this.mtimes.set(src.path, (await stat(src.path)).mtimeMs);
      } catch (cause) {
        throw new IntelError(
          `cannot read reputation feed ${src.path}: ${(cause as Error).message}`,
          { cause },
        );
      }
      const name = src.name ?? basename(src.path, extname(src.path));
      const parsed = parseFeed(name, text, src.category);
      entries.push(...parsed.entries);
      stats.feeds.push({
        name,
        path: src.path,
        entries: parsed.entries.length,
        malformed: parsed.malformed.length,
        format: parsed.format,
      });
      stats.malformed.push(...parsed.malformed);
    }
    stats.entries = entries.length;
    this.index = CidrIndex.fromParsed(entries);
    this.stats = stats;
    this.options.onLoad?.(stats);
  }

  private async reloadIfChanged(): Promise<void> {
    for (const src of this.sources) {
      const m = (await stat(src.path).catch(() => undefined))?.mtimeMs;
      if (m !== undefined && m !== this.mtimes.get(src.path)) {
        await this.reload();
        return;
      }
    }
  }

  /** Every feed entry covering `ip`, most specific first. */
  lookup(ip: string): ReputationHit[] {
    return this.index.lookup(ip);
  }

  /** Stops watching the files. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
