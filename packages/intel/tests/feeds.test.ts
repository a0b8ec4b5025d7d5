import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFeed, ReputationFeeds } from '../src/index.js';

describe('Function: parseFeed', () => {
  it('reads a FireHOL netset with comments, keeping bad lines with their reason', () => {
    const feed = parseFeed(
      'firehol_level1',
      '#\n# firehol_level1\n#\n0.0.0.0/8\n198.51.100.0/24\n203.0.113.7 ; scanner\n300.1.1.1\n2001:db8::/32\n',
      'attacker',
    );
    expect(feed.format).toBe('list');
    expect(feed.entries.map((e) => e.value)).toEqual([
      { feed: 'firehol_level1', indicator: '0.0.0.0/8', category: 'attacker' },
      { feed: 'firehol_level1', indicator: '198.51.100.0/24', category: 'attacker' },
      { feed: 'firehol_level1', indicator: '203.0.113.7', category: 'attacker' },
      { feed: 'firehol_level1', indicator: '2001:db8::/32', category: 'attacker' },
    ]);
    expect(feed.malformed).toEqual([
      {
        feed: 'firehol_level1',
        line: 7,
        text: '300.1.1.1',
        reason: "not an IP address: '300.1.1.1'",
      },
    ]);
  });

  it('reads a CSV with score and category columns', () => {
    const feed = parseFeed(
      'abuse',
      'ip,score,category,first_seen\n203.0.113.9,90,"c2, botnet",2026-01-01\n198.51.100.1,high,scanner,x\n',
    );
    expect(feed.format).toBe('csv');
    expect(feed.entries.map((e) => e.value)).toEqual([
      { feed: 'abuse', indicator: '203.0.113.9', category: 'c2, botnet', score: 90 },
    ]);
    expect(feed.malformed[0]?.reason).toBe("score is not a number: 'high'");
  });
});

describe('Class: ReputationFeeds', () => {
  it('looks addresses up across feeds and reloads a feed when its file changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lakewatch-feeds-'));
    const list = join(dir, 'blocklist.txt');
    writeFileSync(list, '198.51.100.0/24\n');
    writeFileSync(join(dir, 'scores.csv'), 'cidr,score,category\n198.51.100.23/32,75,scanner\n');
    const feeds = await ReputationFeeds.load(
      [{ path: list, category: 'blocklist' }, { path: join(dir, 'scores.csv') }],
      { reloadIntervalMs: 50 },
    );
    try {
      expect(feeds.lookup('198.51.100.23')).toEqual([
        { feed: 'scores', indicator: '198.51.100.23/32', category: 'scanner', score: 75 },
        { feed: 'blocklist', indicator: '198.51.100.0/24', category: 'blocklist' },
      ]);
      writeFileSync(list, '203.0.113.0/24\n');
      const { utimesSync } = await import('node:fs');
      utimesSync(list, new Date(), new Date(Date.now() + 5000));
      for (let i = 0; i < 100 && feeds.lookup('203.0.113.5').length === 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      expect(feeds.lookup('203.0.113.5').map((h) => h.feed)).toEqual(['blocklist']);
      expect(feeds.lookup('198.51.100.1')).toEqual([]);
    } finally {
      feeds.close();
    }
  });

  it('names a feed file that cannot be read', async () => {
    await expect(ReputationFeeds.load([{ path: '/nonexistent/feed.txt' }])).rejects.toThrow(
      'cannot read reputation feed /nonexistent/feed.txt',
    );
  });
});
