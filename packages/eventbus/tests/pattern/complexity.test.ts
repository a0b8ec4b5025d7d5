import { describe, expect, it } from 'vitest';
import { InvalidEventPatternError, validatePattern } from '../../src/index.js';
import { wildcardComplexity } from '../../src/pattern/complexity.js';

const TOO_COMPLEX =
  'Event pattern is not valid. Reason: Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';

describe('Function: wildcardComplexity', () => {
  it('is small for ordinary wildcards', () => {
    expect(wildcardComplexity([])).toBe(0);
    expect(wildcardComplexity(['fnd-*-i-*'])).toBeLessThanOrEqual(6);
    expect(wildcardComplexity(['arn:aws:s3:::*/logs/*'])).toBeLessThanOrEqual(6);
    expect(wildcardComplexity(['*.png', '*.jpg', '*.gif'])).toBeLessThanOrEqual(10);
  });

  it('grows with repeated sequences after a wildcard and with more wildcard values', () => {
    const one = wildcardComplexity(['*a*']);
    const repeated = wildcardComplexity(['*a*a*a*a*a*a*']);
    const many = wildcardComplexity(['d/*/t/*.jpg', 'd/*/t/*.png', 'd/*/t/*.gif', 'd/*/t/*.bmp']);
    expect(repeated).toBeGreaterThan(one);
    expect(many).toBeGreaterThan(wildcardComplexity(['d/*/t/*.jpg']));
  });
});

describe('Function: validatePattern (wildcard complexity)', () => {
  it('accepts a few ordinary wildcards on a field', () => {
    expect(() =>
      validatePattern({ key: [{ wildcard: 'logs/*/vpc/*.gz' }, { wildcard: 'logs/*/dns/*.gz' }] }),
    ).not.toThrow();
  });

  it('rejects four folder wildcards on one field but accepts two (a case users met on AWS)', () => {
    // Prepare: users split four such filters into two rules of two to get them accepted
    const filters = [
      'datasync/*/thumbnail/*.jpg',
      'datasync/*/thumbnail/*.png',
      'datasync/*/thumbnail/*.jpeg',
      'datasync/*/thumbnail/*.gif',
    ];
    const rule = (ws: string[]) => ({
      detail: { object: { key: ws.map((w) => ({ wildcard: w })) } },
    });
    // Act & Assess
    expect(() => validatePattern(rule(filters))).toThrow(TOO_COMPLEX);
    expect(() => validatePattern(rule(filters.slice(0, 2)))).not.toThrow();
    expect(() => validatePattern(rule(filters.slice(2)))).not.toThrow();
  });

  it('rejects wildcards with many repeated sequences, as AWS words it', () => {
    // Prepare
    const pattern = { key: [{ wildcard: '*a*a*a*a*a*a*a*a*a*a*a*a*' }] };
    // Act & Assess
    expect(() => validatePattern(pattern)).toThrow(InvalidEventPatternError);
    expect(() => validatePattern(pattern)).toThrow(TOO_COMPLEX);
    expect(() => validatePattern(pattern, { maxWildcardComplexity: 100 })).not.toThrow();
  });

  it('counts the wildcards of every alternative of a field together', () => {
    // Prepare: each alone is fine; together, on one field, they are too many
    const values = ['a', 'b', 'c', 'd', 'e'].map((c) => `*${c}*${c}*`);
    const alone = values.map((w) => ({ key: [{ wildcard: w }] }));
    const together = { $or: values.map((w) => ({ key: [{ wildcard: w }] })) };
    // Act & Assess
    for (const p of alone) expect(() => validatePattern(p)).not.toThrow();
    expect(() => validatePattern(together, { maxCombinations: 10 })).toThrow(TOO_COMPLEX);
  });
});
