import { describe, expect, it } from 'vitest';
import { toDraft4 } from '../src/index.js';

describe('Function: toDraft4', () => {
  it('rewrites draft-07 keywords that Draft 4 spells differently', () => {
    const d4 = toDraft4({
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: 'https://lakewatch.dev/x.json',
      'x-schema-version': '1.0',
      type: 'object',
      properties: {
        kind: { const: 'a' },
        rate: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      },
    });
    expect(d4).toEqual({
      $schema: 'http://json-schema.org/draft-04/schema#',
      id: 'https://lakewatch.dev/x.json',
      type: 'object',
      properties: {
        kind: { enum: ['a'] },
        rate: {
          type: 'number',
          minimum: 0,
          exclusiveMinimum: true,
          maximum: 1,
          exclusiveMaximum: true,
        },
      },
    });
  });

  it('refuses keywords Draft 4 cannot express', () => {
    expect(() => toDraft4({ properties: { a: { if: { type: 'string' } } } })).toThrow(
      '/properties/a/if: has no Draft 4 equivalent',
    );
  });
});
