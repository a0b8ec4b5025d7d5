import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BusEvent } from '../src/event.js';
import { EventLog } from '../src/event-log.js';

const event = (id: string): BusEvent => ({
  version: '0',
  id,
  'detail-type': 'T',
  source: 's',
  account: '000000000000',
  time: '2026-11-29T00:00:00Z',
  region: 'us-east-1',
  resources: [],
  detail: { pad: 'x'.repeat(100) },
});

describe('Function: EventLog', () => {
  const dirs: string[] = [];
  const fresh = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'event-log-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('recovers exactly the deliveries not acknowledged, and drops a torn last line', async () => {
    // Prepare
    const dir = fresh();
    const { log } = EventLog.open(dir, 1 << 20);
    const [a, b] = await log.append([
      {
        bus: 'default',
        event: event('a'),
        acceptedAt: 1,
        tasks: [
          ['r1', 't1'],
          ['r2', 't2'],
        ],
      },
      { bus: 'default', event: event('b'), acceptedAt: 2, tasks: [['r1', 't1']] },
    ]);
    log.ack(a!, 'r1', 't1');
    await log.close();
    const [segment] = readdirSync(dir).filter((f) => f.startsWith('events-'));
    appendFileSync(join(dir, segment!), '{"s":99,"b":"default","a":3,"e":{"id":"torn"');

    // Act
    const { log: again, recovered } = EventLog.open(dir, 1 << 20);

    // Assess
    expect(recovered.map((r) => [r.event.event.id, r.pending])).toEqual([
      ['a', [['r2', 't2']]],
      ['b', [['r1', 't1']]],
    ]);
    expect(b?.seq).toBe(2);
    expect(again.pendingDeliveries).toBe(2);
    const [c] = await again.append([
      { bus: 'default', event: event('c'), acceptedAt: 4, tasks: [] },
    ]);
    expect(c?.seq).toBe(3);
    await again.close();
  });

  it('starts new segments past the size limit and deletes a segment once all it owes is done', async () => {
    const dir = fresh();
    const { log } = EventLog.open(dir, 2_000);
    const first = await log.append(
      Array.from({ length: 20 }, (_, i) => ({
        bus: 'default',
        event: event(`e${i}`),
        acceptedAt: i,
        tasks: [['r', 't'] as const],
      })),
    );
    await log.append([{ bus: 'default', event: event('next'), acceptedAt: 99, tasks: [] }]);
    const before = readdirSync(dir).filter((f) => f.startsWith('events-')).length;
    for (const e of first) log.ack(e, 'r', 't');
    await log.close();
    const after = readdirSync(dir).filter((f) => f.startsWith('events-')).length;
    expect(before).toBe(2);
    expect(after).toBe(1);
    expect(EventLog.open(dir, 2_000).recovered).toEqual([]);
  });
});
