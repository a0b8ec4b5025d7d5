import { parseLogObject } from '@lakewatch/sources';
import { describe, expect, it } from 'vitest';
import { run, SMALL } from './helpers.js';

async function* bytes(body: Uint8Array): AsyncGenerator<Uint8Array> {
  yield body;
}

type Rec = {
  class_uid: number;
  src_endpoint?: { instance_uid?: string; ip?: string };
  dst_endpoint?: { instance_uid?: string; ip?: string };
  connection_info?: { direction?: string };
  answers?: { type?: string; rdata?: string }[];
};

describe('Function: createSimulation (read by @lakewatch/sources)', () => {
  it('parses every object with nothing rejected, and finds each incident pair only in the live window', async () => {
    // Prepare
    const { objects, truth } = await run(SMALL);
    const pairs = { history: new Set<string>(), live: new Set<string>() };
    let read = 0;
    let records = 0;
    const rejects: string[] = [];
    const formats = new Set<string>();

    // Act
    for (const { obj } of objects) {
      records += obj.records;
      const result = parseLogObject(bytes(obj.body), { sourceUri: obj.key });
      const seen = pairs[obj.phase];
      for await (const batch of result) {
        for (const r of batch.rejects)
          rejects.push(`${obj.key}:${r.line} ${r.reason} ${r.message}`);
        for (const rec of batch.records as Rec[]) {
          const src = rec.src_endpoint;
          const dst = rec.dst_endpoint;
          if (rec.class_uid === 4003) {
            for (const a of rec.answers ?? [])
              if (a.type === 'A') seen.add(`${src?.instance_uid} ${a.rdata}`);
          } else if (rec.connection_info?.direction === 'Outbound') {
            seen.add(`${src?.instance_uid} ${dst?.ip}`);
            seen.add(`${src?.instance_uid} ${src?.ip}`);
          } else if (rec.connection_info?.direction === 'Inbound')
            seen.add(`${dst?.instance_uid} ${src?.ip}`);
        }
      }
      const s = result.summary();
      read += s.read;
      formats.add(`${s.format} ${s.formatDetail}`);
    }

    // Assess
    expect(rejects.slice(0, 5)).toEqual([]);
    expect(read).toBe(records);
    // The parser's own words for the format detail may change; the format and version may not.
    expect([...formats].map((f) => f.split(' ')[0]).sort()).toEqual([
      'aws-route53-resolver',
      'aws-vpc-flow',
    ]);
    expect([...formats].find((f) => f.startsWith('aws-vpc-flow'))).toMatch(/header v5/);
    for (const inc of truth.incidents)
      for (const p of inc.pairs) {
        const key = `${p.entity.uid} ${p.ip}`;
        expect(pairs.live.has(key), `${inc.id} ${key} in live`).toBe(true);
        expect(pairs.history.has(key), `${inc.id} ${key} in history`).toBe(false);
      }
  });
});
