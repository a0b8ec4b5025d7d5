import { describe, expect, it } from 'vitest';
import { compilePattern, InvalidEventPatternError, validatePattern } from '../../src/index.js';

const reasonOf = (
  pattern: object | string,
  limits?: Parameters<typeof validatePattern>[1],
): string => {
  try {
    validatePattern(pattern, limits);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidEventPatternError);
    expect((e as Error).message).toBe(
      `Event pattern is not valid. Reason: ${(e as InvalidEventPatternError).reason}`,
    );
    return (e as InvalidEventPatternError).reason;
  }
  throw new Error(`pattern was accepted: ${JSON.stringify(pattern)}`);
};

type Case = readonly [pattern: object | string, reason: string];

// Reasons as EventBridge (event-ruler's JSON rule compiler) words them.
const invalid: Case[] = [
  ['[]', 'Filter is not an object'],
  ['"text"', 'Filter is not an object'],
  ['', 'Filter is not an object'],
  [{}, 'Empty objects are not allowed'],
  [{ a: {} }, 'Empty objects are not allowed'],
  [{ a: [] }, 'Empty arrays are not allowed'],
  [{ a: 'x' }, '"a" must be an object or an array'],
  [{ a: 5 }, '"a" must be an object or an array'],
  [{ a: [['x']] }, 'Match value must be String, number, true, false, or null'],
  [{ a: [{}] }, 'Match expression name not found'],
  [{ a: [{ regex: 'x' }] }, 'Unrecognized match type regex'],
  [{ a: [{ Prefix: 'x' }] }, 'Unrecognized match type Prefix'],
  [{ a: [{ prefix: 'x', suffix: 'y' }] }, 'Only one key allowed in match expression'],
  [{ a: [{ prefix: 5 }] }, 'prefix match pattern must be a string'],
  [{ a: [{ prefix: {} }] }, 'Prefix expression name not found'],
  [{ a: [{ prefix: { wildcard: 'x' } }] }, 'Unsupported prefix pattern: wildcard'],
  [
    { a: [{ prefix: { 'equals-ignore-case': 5 } }] },
    'equals-ignore-case match pattern must be a string',
  ],
  [{ a: [{ suffix: { nope: 'x' } }] }, 'Unsupported suffix pattern: nope'],
  [{ a: [{ suffix: null }] }, 'suffix match pattern must be a string'],
  [{ a: [{ 'equals-ignore-case': ['x'] }] }, 'equals-ignore-case match pattern must be a string'],
  [{ a: [{ wildcard: 5 }] }, 'wildcard match pattern must be a string'],
  [{ a: [{ wildcard: 'a**b' }] }, 'Consecutive wildcard characters at pos 2'],
  [{ a: [{ wildcard: 'é**' }] }, 'Consecutive wildcard characters at pos 3'],
  [{ a: [{ wildcard: 'a\\b' }] }, 'Invalid escape character at pos 2'],
  [{ a: [{ wildcard: 'ab\\' }] }, 'Invalid escape character at pos 3'],
  [{ a: [{ exists: 'true' }] }, 'exists match pattern must be either true or false.'],
  [{ a: [{ exists: true, prefix: 'x' }] }, 'Only one key allowed in match expression'],
  [{ a: [{ numeric: 5 }] }, 'Value of numeric must be an array.'],
  [{ a: [{ numeric: [] }] }, 'Invalid member in numeric match: ]'],
  [{ a: [{ numeric: [5] }] }, 'Invalid member in numeric match: 5'],
  [{ a: [{ numeric: ['!=', 5] }] }, 'Unrecognized numeric range operator: !='],
  [{ a: [{ numeric: ['=', '5'] }] }, 'Value of equals must be numeric'],
  [{ a: [{ numeric: ['=', 5, '<', 6] }] }, 'Too many elements in numeric expression'],
  [{ a: [{ numeric: ['<', 5, '>', 1] }] }, 'Too many elements in numeric expression'],
  [{ a: [{ numeric: ['>', 'x'] }] }, 'Value of > must be numeric'],
  [{ a: [{ numeric: ['>', 0, 5] }] }, 'Bad value in numeric range: 5'],
  [{ a: [{ numeric: ['>', 0, '>', 5] }] }, 'Bad numeric range operator: >'],
  [{ a: [{ numeric: ['>', 0, '<', 'x'] }] }, 'Value of < must be numeric'],
  [{ a: [{ numeric: ['>', 0, '<', 5, 6] }] }, 'Too many terms in numeric range expression'],
  [{ a: [{ numeric: ['>', 5, '<', 5] }] }, 'Bottom must be less than top'],
  [{ a: [{ numeric: ['>', 5e9 + 1] }] }, 'Value must be between -5.0E9 and 5.0E9, inclusive'],
  [{ a: [{ numeric: ['<', -6e9] }] }, 'Value must be between -5.0E9 and 5.0E9, inclusive'],
  [{ a: [{ numeric: ['=', 0.1234567] }] }, 'Only values upto 6 decimals are supported: 0.1234567'],
  [{ a: [{ numeric: ['>', 0], prefix: 'x' }] }, 'Too many elements in numeric expression'],
  [
    { a: [{ 'anything-but': null }] },
    'Value of anything-but must be an array or single string/number value.',
  ],
  [
    { a: [{ 'anything-but': true }] },
    'Value of anything-but must be an array or single string/number value.',
  ],
  [
    { a: [{ 'anything-but': [true] }] },
    'Inside anything but list, start|null|boolean is not supported.',
  ],
  [
    { a: [{ 'anything-but': [{ prefix: 'x' }] }] },
    'Inside anything but list, start|null|boolean is not supported.',
  ],
  [
    { a: [{ 'anything-but': ['x', 1] }] },
    'Inside anything but list, either all values are number or string, mixed type is not supported',
  ],
  [
    { a: [{ 'anything-but': [] }] },
    'Inside anything but list, either all values are number or string, mixed type is not supported',
  ],
  [{ a: [{ 'anything-but': [6e9] }] }, 'Value must be between -5.0E9 and 5.0E9, inclusive'],
  [{ a: [{ 'anything-but': {} }] }, 'Anything-But expression name not found'],
  [{ a: [{ 'anything-but': { numeric: ['>', 1] } }] }, 'Unsupported anything-but pattern: numeric'],
  [{ a: [{ 'anything-but': { prefix: '' } }] }, 'Null prefix/suffix not allowed'],
  [{ a: [{ 'anything-but': { suffix: ['x', ''] } }] }, 'Null prefix/suffix not allowed'],
  [{ a: [{ 'anything-but': { wildcard: [5] } }] }, 'wildcard match pattern must be a string'],
  [{ a: [{ 'anything-but': { wildcard: 'a**' } }] }, 'Consecutive wildcard characters at pos 2'],
  [
    { a: [{ 'anything-but': { 'equals-ignore-case': [null] } }] },
    'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
  ],
  [
    { a: [{ 'anything-but': { prefix: 'x', suffix: 'y' } }] },
    'Too many elements in numeric expression',
  ],
  [{ a: [{ cidr: 5 }] }, 'prefix match pattern must be a string'],
  [{ a: [{ cidr: '10.0.0.0' }] }, "Malformed CIDR, one '/' required"],
  [{ a: [{ cidr: '10.0.0.0/8/8' }] }, "Malformed CIDR, one '/' required"],
  [{ a: [{ cidr: '10.0.0.0/x' }] }, 'Malformed CIDR, mask bits must be an integer'],
  [{ a: [{ cidr: '10.0.0.0/-1' }] }, 'Malformed CIDR, mask bits must not be negative'],
  [{ a: [{ cidr: '10.0.0.0/32' }] }, 'IPv4 mask bits must be < 32'],
  [{ a: [{ cidr: '::/128' }] }, 'IPv6 mask bits must be < 128'],
  [{ a: [{ cidr: '10.0.0.300/8' }] }, 'Invalid IP address: 10.0.0.300'],
  [{ a: [{ cidr: 'host/8' }] }, 'Nonstandard IP address: host'],
  [{ $or: { a: ['x'] } }, 'It must be an Array followed with $or.'],
  [{ $or: [{ a: ['x'] }] }, 'There must have at least 2 Objects in $or relationship.'],
  [{ $or: [{ a: ['x'] }, 'b'] }, 'Only JSON object is allowed in array of $or relationship.'],
  [
    { $or: [{ a: ['x'] }, { numeric: ['x'] }] },
    'numeric is Ruler reserved fieldName which cannot be used inside $or.',
  ],
  [{ $or: [{ a: ['x'] }, {}] }, 'Empty objects are not allowed'],
  // pattern text that is not JSON: the words of EventBridge's JSON parser
  [
    '{"a": [1,]}',
    "Unexpected character (']' (code 93)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
  ],
  [
    '{"a" ["x"]}',
    "Unexpected character ('[' (code 91)): was expecting a colon to separate field name and value",
  ],
  [
    '{"a": ["x"] "b": ["y"]}',
    "Unexpected character ('\"' (code 34)): was expecting comma to separate Object entries",
  ],
  ['{"a": ["x"', 'Unexpected end-of-input: expected close marker for Array'],
  [
    '{"a": [tru]}',
    "Unrecognized token 'tru': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
  ],
  [
    '{a: ["x"]}',
    "Unexpected character ('a' (code 97)): was expecting double-quote to start field name",
  ],
];

describe('Function: validatePattern', () => {
  it.each(invalid.map(([p, r]) => [typeof p === 'string' ? p : JSON.stringify(p), p, r] as const))(
    'rejects %s',
    (_label, pattern, reason) => {
      // Act & Assess
      expect(reasonOf(pattern)).toBe(reason);
    },
  );

  it('accepts the documented shapes', () => {
    // Prepare
    const valid: object[] = [
      { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] },
      { detail: { state: [{ 'anything-but': { 'equals-ignore-case': ['a', 'B'] } }] } },
      { a: [{ numeric: ['>=', -5e9, '<=', 5e9] }, { numeric: ['=', 0.000001] }] },
      { a: [{ cidr: '2001:db8::/127' }, { cidr: '10.0.0.0/31' }, '10.0.0.1'] },
      { $or: [{ a: [1] }, { b: [{ exists: false }] }] },
      { a: [{ wildcard: 'x\\*y\\\\z*' }] },
      { a: [123456789012, 9e15] }, // exact numbers are not limited to ±5e9
    ];
    // Act & Assess
    for (const p of valid) expect(() => validatePattern(p)).not.toThrow();
  });

  it("names the field at fault beside AWS's message", () => {
    // Act
    let error: InvalidEventPatternError | undefined;
    try {
      validatePattern({ detail: { 'state.name': [{ prefix: 5 }] } });
    } catch (e) {
      error = e as InvalidEventPatternError;
    }
    // Assess
    expect(error?.message).toBe(
      'Event pattern is not valid. Reason: prefix match pattern must be a string',
    );
    expect(error?.path).toBe('detail.state.name');
    expect(() => validatePattern({ detail: { x: 'y' } })).toThrow(
      expect.objectContaining({ path: 'detail.x' }),
    );
  });

  it('limits the pattern length, 2048 characters by default', () => {
    // Prepare
    const long = { a: ['x'.repeat(2100)] };
    // Act & Assess
    expect(reasonOf(long)).toMatch(
      /^Event pattern is \d+ characters long, more than the limit of 2048$/,
    );
    expect(() => validatePattern(long, { maxLength: 4096 })).not.toThrow();
  });

  it('limits the $or combinations', () => {
    // Prepare: 4 × 4 × 4 = 64 alternatives
    const or4 = (k: string) => ({ $or: [0, 1, 2, 3].map((i) => ({ [`${k}${i}`]: [i] })) });
    const pattern = { a: or4('a'), b: or4('b'), c: or4('c') };
    // Act & Assess
    expect(compilePattern(pattern).combinations).toBe(64);
    expect(reasonOf(pattern, { maxCombinations: 50 })).toBe(
      'The event pattern has more than 50 combinations of $or alternatives',
    );
  });
});
