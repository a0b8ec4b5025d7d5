import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePattern, InvalidEventPatternError, matchesPattern } from '../../src/index.js';
import { ipv4Number, parseIp } from '../../src/pattern/ip.js';
import { parsePatternText } from '../../src/pattern/json-text.js';

// Few, overlapping names and values, so that generated patterns and events often meet.
const key = fc.constantFrom('a', 'b', 'c', 'a.b', 'src', 'ip');
const text = fc.constantFrom(
  '',
  'x',
  'X',
  'xy',
  'abc',
  'ABC',
  '10.0.0.1',
  '2001:db8::1',
  'a*b',
  'é',
);
const num = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(0.5, -2.25, 1e9, 6e9, 300),
);

const leaf = fc.oneof(text, num, fc.boolean(), fc.constant(null));
const { event } = fc.letrec<{ event: Record<string, unknown>; value: unknown }>((tie) => ({
  event: fc.dictionary(key, tie('value'), { maxKeys: 4 }),
  value: fc.oneof(
    { depthSize: 'xsmall', maxDepth: 4 },
    leaf,
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    tie('event'),
  ),
}));

const matcher = fc.oneof(
  text,
  num,
  fc.boolean(),
  fc.constant(null),
  text.map((s) => ({ prefix: s })),
  text.map((s) => ({ suffix: s })),
  text.map((s) => ({ prefix: { 'equals-ignore-case': s } })),
  text.map((s) => ({ 'equals-ignore-case': s })),
  fc.constantFrom('*', 'a*', '*b', 'x*y', 'a\\*b').map((w) => ({ wildcard: w })),
  fc
    .oneof(text, fc.array(text, { minLength: 1, maxLength: 3 }))
    .map((v) => ({ 'anything-but': v })),
  fc.integer({ min: -10, max: 10 }).map((n) => ({ 'anything-but': [n, n + 1] })),
  text.filter((s) => s !== '').map((s) => ({ 'anything-but': { prefix: s } })),
  text.map((s) => ({ 'anything-but': { 'equals-ignore-case': [s] } })),
  fc
    .tuple(fc.integer({ min: -100, max: 100 }), fc.integer({ min: 1, max: 100 }))
    .map(([lo, w]) => ({
      numeric: ['>=', lo, '<', lo + w],
    })),
  fc.integer({ min: -100, max: 100 }).map((n) => ({ numeric: ['>', n] })),
  fc.boolean().map((b) => ({ exists: b })),
  fc.constantFrom('10.0.0.0/8', '2001:db8::/32').map((c) => ({ cidr: c })),
);

const { pattern } = fc.letrec<{ pattern: Record<string, unknown> }>((tie) => ({
  pattern: fc.oneof(
    { depthSize: 'small' },
    fc.dictionary(
      key,
      fc.oneof(
        { depthSize: 'small' },
        fc.array(matcher, { minLength: 1, maxLength: 3 }),
        tie('pattern'),
      ),
      { minKeys: 1, maxKeys: 3 },
    ),
    fc
      .tuple(tie('pattern'), tie('pattern'))
      .map(([p, q]) => ({ $or: [p, q] }) as Record<string, unknown>),
  ),
}));

const runs = { numRuns: 250 };
const unlimited = { maxLength: 1_000_000, maxCombinations: 1_000_000 };
const matches = (p: object, e: object): boolean => compilePattern(p, unlimited).matches(e);

describe('Function: matchesPattern (properties)', () => {
  it('never throws on any JSON event for a valid pattern, object or text alike', () => {
    fc.assert(
      fc.property(pattern, event, (p, e) => {
        const compiled = compilePattern(p, unlimited);
        const answer = compiled.matches(e);
        expect(typeof answer).toBe('boolean');
        expect(
          compilePattern(JSON.stringify(p), { maxLength: 100_000 }).matches(JSON.stringify(e)),
        ).toBe(answer);
      }),
      runs,
    );
  });

  it('$or of two patterns matches exactly when one of them matches', () => {
    fc.assert(
      fc.property(pattern, pattern, event, (p, q, e) => {
        expect(matches({ $or: [p, q] }, e)).toBe(matches(p, e) || matches(q, e));
      }),
      runs,
    );
  });

  it('a field is an OR of its values', () => {
    fc.assert(
      fc.property(key, fc.array(matcher, { minLength: 2, maxLength: 4 }), event, (k, values, e) => {
        expect(matches({ [k]: values }, e)).toBe(values.some((v) => matches({ [k]: [v] }, e)));
      }),
      runs,
    );
  });

  it('an event matches a pattern made of one of its own leaf values', () => {
    const withLeaf = fc.tuple(
      fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 3 }),
      leaf,
      event,
    );
    fc.assert(
      fc.property(withLeaf, ([path, value, rest]) => {
        // Prepare: put the value at the path inside an otherwise random event
        const e: Record<string, unknown> = { ...rest };
        let node = e;
        for (const seg of path.slice(0, -1)) {
          const child: Record<string, unknown> = {};
          node[seg] = child;
          node = child;
        }
        node[path.at(-1) as string] = [value, 'other'];
        const p = { [path.join('.')]: [value] };
        // Assess: exact match; anything-but the value fails only on that element
        expect(matchesPattern(p, e)).toBe(true);
        expect(matchesPattern({ [path.join('.')]: [{ exists: true }] }, e)).toBe(true);
        expect(matchesPattern({ [path.join('.')]: [{ exists: false }] }, e)).toBe(false);
      }),
      runs,
    );
  });
});

describe('Function: parsePatternText (properties)', () => {
  it('reads any JSON object as JSON.parse does', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 5 }), (obj) => {
        const textForm = JSON.stringify(obj);
        expect(JSON.stringify(parsePatternText(textForm))).toBe(
          JSON.stringify(JSON.parse(textForm)),
        );
      }),
      runs,
    );
  });

  it('rejects broken text only with InvalidEventPatternError', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
        fc.nat(),
        fc.string({ maxLength: 3 }),
        (obj, at, junk) => {
          const good = JSON.stringify(obj);
          const i = at % (good.length + 1);
          const broken = good.slice(0, i) + junk + good.slice(i + 1);
          try {
            parsePatternText(broken);
          } catch (e) {
            expect(e).toBeInstanceOf(InvalidEventPatternError);
          }
        },
      ),
      runs,
    );
  });
});

describe('Function: ipv4Number (properties)', () => {
  it('agrees with the byte parser on addresses and on near-misses', () => {
    const octet = fc.oneof(
      fc.integer({ min: 0, max: 255 }).map(String),
      fc.constantFrom('256', '', '1a', '007', '-1'),
    );
    const candidate = fc.oneof(
      fc.tuple(octet, octet, octet, octet).map((o) => o.join('.')),
      fc.string({ maxLength: 16 }),
      fc.ipV4(),
    );
    fc.assert(
      fc.property(candidate, (text) => {
        const bytes = parseIp(text);
        const n = ipv4Number(text);
        if (bytes === undefined || bytes.length !== 4) expect(n).toBeUndefined();
        else expect(n).toBe(((bytes[0]! * 256 + bytes[1]!) * 256 + bytes[2]!) * 256 + bytes[3]!);
      }),
      runs,
    );
  });
});
