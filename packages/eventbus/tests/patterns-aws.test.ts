import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidEventPatternError, matchesPattern, validatePattern } from '../src/index.js';

interface RecordedCase {
  name: string;
  event: object;
  pattern: object | string;
  expect: 'match' | 'no-match' | 'invalid';
  awsError: string | null;
}

const dir = join(import.meta.dirname, 'fixtures', 'eventbridge-patterns', 'cases');
const cases: RecordedCase[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as RecordedCase);

describe('Function: matchesPattern (AWS-recorded cases)', () => {
  it('has the recorded cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(86);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // Prepare: the recorded pattern (object, or text that is not JSON) and event

    if (c.expect === 'invalid') {
      // Act
      let error: unknown;
      try {
        validatePattern(c.pattern);
      } catch (e) {
        error = e;
      }
      // Assess: rejected, with AWS's first line of the message where recorded
      expect(error).toBeInstanceOf(InvalidEventPatternError);
      if (c.awsError !== null) expect((error as Error).message).toBe(c.awsError);
      expect(() => matchesPattern(c.pattern, c.event)).toThrow(InvalidEventPatternError);
      return;
    }
    // Act
    const matched = matchesPattern(c.pattern, c.event);
    // Assess
    expect(matched).toBe(c.expect === 'match');
  });
});
