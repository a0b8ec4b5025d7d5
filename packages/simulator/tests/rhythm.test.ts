import { describe, expect, it } from 'vitest';
import { COL, flowRows, run, SMALL } from './helpers.js';

describe('Function: createSimulation (daily rhythm)', () => {
  it('has more flows in business hours than at night, and batch traffic peaks at night', async () => {
    // Prepare: the history day is a Monday; the business runs on US Eastern time (UTC-5)
    const { objects } = await run(SMALL);
    const perHour = new Array<number>(24).fill(0);
    const s3PerHour = new Array<number>(24).fill(0);

    // Act
    for (const { obj, text } of objects) {
      if (obj.phase !== 'history' || obj.type !== 'aws-vpc-flow') continue;
      for (const r of flowRows(text)) {
        if (r[COL.status] !== 'OK') continue;
        const hour = new Date(Number(r[COL.start]) * 1000).getUTCHours();
        perHour[hour]!++;
        if (r[COL.direction] === 'egress' && r[24] === 'S3') s3PerHour[hour]!++;
      }
    }
    const mean = (hours: number[], a: number[]) =>
      hours.reduce((s, h) => s + a[h]!, 0) / hours.length;
    const business = [16, 17, 18, 19, 20, 21]; // 11:00–17:00 local
    const night = [6, 7, 8, 9, 10]; // 01:00–06:00 local

    // Assess
    expect(mean(business, perHour)).toBeGreaterThan(2.5 * mean(night, perHour));
    expect(mean(night, s3PerHour)).toBeGreaterThan(2 * mean(business, s3PerHour));
  });
});
