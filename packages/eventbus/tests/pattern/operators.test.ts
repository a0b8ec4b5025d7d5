import { describe, expect, it } from 'vitest';
import { matchesPattern } from '../../src/index.js';

type Case = readonly [name: string, pattern: object, event: object, expected: boolean];

// Cases written from the EventBridge user guide ("Event patterns", "Content filtering",
// "Arrays") and the aws/event-ruler README, beyond the AWS-recorded fixture sample.
const cases: Case[] = [
  // exact values, JSON types
  ['string equals', { a: ['x'] }, { a: 'x' }, true],
  ['string differs', { a: ['x'] }, { a: 'X' }, false],
  ['OR within the array', { a: ['x', 'y'] }, { a: 'y' }, true],
  ['number equals number', { a: [5] }, { a: 5 }, true],
  ['300 equals 300.0 and 3e2', { a: [300] }, { a: 3e2 }, true],
  ['number does not equal string', { a: [5] }, { a: '5' }, false],
  ['string does not equal number', { a: ['5'] }, { a: 5 }, false],
  ['true equals true', { a: [true] }, { a: true }, true],
  ['"true" does not equal true', { a: ['true'] }, { a: true }, false],
  ['null equals null', { a: [null] }, { a: null }, true],
  ['null does not match a missing field', { a: [null] }, { b: 1 }, false],
  ['null does not match the string "null"', { a: [null] }, { a: 'null' }, false],
  ['empty string equals empty string', { a: [''] }, { a: '' }, true],
  ['empty string does not match null', { a: [''] }, { a: null }, false],
  ['keys are case sensitive', { A: ['x'] }, { a: 'x' }, false],
  ['fields AND together', { a: ['x'], b: ['y'] }, { a: 'x', b: 'z' }, false],
  ['an object value is not a leaf', { a: ['x'] }, { a: { b: 'x' } }, false],
  [
    'IP literal matches another spelling',
    { ip: ['2001:db8::1'] },
    { ip: '2001:0db8:0:0:0:0:0:1' },
    true,
  ],
  // arrays in events
  ['any element of an event array', { r: ['b'] }, { r: ['a', 'b'] }, true],
  ['no element matches', { r: ['c'] }, { r: ['a', 'b'] }, false],
  ['nested arrays', { r: [3] }, { r: [[1, 2], [3]] }, true],
  [
    'objects inside arrays',
    { e: { name: ['Anna'] } },
    { e: [{ name: 'John' }, { name: 'Anna' }] },
    true,
  ],
  [
    'array consistency: fields from one element match',
    { e: { first: ['Anna'], last: ['Smith'] } },
    {
      e: [
        { first: 'John', last: 'Doe' },
        { first: 'Anna', last: 'Smith' },
      ],
    },
    true,
  ],
  [
    'array consistency: fields from different elements do not',
    { e: { first: ['Anna'], last: ['Doe'] } },
    {
      e: [
        { first: 'John', last: 'Doe' },
        { first: 'Anna', last: 'Smith' },
      ],
    },
    false,
  ],
  [
    'array consistency across nested arrays',
    { e: { first: ['Peter'], last: ['Jones'] } },
    { e: [[{ first: 'John', last: 'Doe' }], [{ first: 'Peter', last: 'Jones' }]] },
    true,
  ],
  [
    'a field outside the array combines with any element',
    { top: ['t'], e: { first: ['Anna'] } },
    { top: 't', e: [{ first: 'Anna' }] },
    true,
  ],
  [
    'a value outside arrays (under a dotted key) fits any array element',
    { a: { b: ['x'], c: ['y'] } },
    { a: [{ b: 'x', c: 'n' }, { c: 'y' }], 'a.b': 'x' },
    true,
  ],
  ['empty event array has no values', { r: [{ exists: true }] }, { r: [] }, false],
  // dotted keys
  ['dotted pattern key vs nested event', { 'a.b': ['x'] }, { a: { b: 'x' } }, true],
  ['nested pattern vs dotted event key', { a: { b: ['x'] } }, { 'a.b': 'x' }, true],
  ['dotted on both sides, split differently', { 'a.b': { c: ['x'] } }, { a: { 'b.c': 'x' } }, true],
  // prefix / suffix
  ['prefix', { t: [{ prefix: '2017-10-02' }] }, { t: '2017-10-02T18:43:48Z' }, true],
  ['prefix is case sensitive', { t: [{ prefix: 'Abc' }] }, { t: 'abcd' }, false],
  ['prefix only on strings', { n: [{ prefix: '12' }] }, { n: 123 }, false],
  ['empty prefix matches any string', { s: [{ prefix: '' }] }, { s: 'x' }, true],
  ['empty prefix does not match a number', { s: [{ prefix: '' }] }, { s: 1 }, false],
  [
    'prefix equals-ignore-case',
    { s: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
    { s: 'eventbridge' },
    true,
  ],
  ['suffix', { f: [{ suffix: '.png' }] }, { f: 'image.png' }, true],
  [
    'suffix equals-ignore-case',
    { f: [{ suffix: { 'equals-ignore-case': '.png' } }] },
    { f: 'IMAGE.PNG' },
    true,
  ],
  [
    'suffix longer than value',
    { f: [{ suffix: { 'equals-ignore-case': '.jpeg' } }] },
    { f: 'peg' },
    false,
  ],
  // equals-ignore-case
  ['equals-ignore-case', { s: [{ 'equals-ignore-case': 'EC2' }] }, { s: 'ec2' }, true],
  [
    'equals-ignore-case is whole value',
    { s: [{ 'equals-ignore-case': 'EC2' }] },
    { s: 'ec2x' },
    false,
  ],
  [
    'equals-ignore-case only on strings',
    { s: [{ 'equals-ignore-case': 'true' }] },
    { s: true },
    false,
  ],
  // wildcard
  ['wildcard', { s: [{ wildcard: 'Simple*Service' }] }, { s: 'SimpleQueueService' }, true],
  [
    'wildcard star matches nothing too',
    { s: [{ wildcard: 'Simple*Service' }] },
    { s: 'SimpleService' },
    true,
  ],
  ['wildcard anchored at both ends', { s: [{ wildcard: 'a*c' }] }, { s: 'abcd' }, false],
  [
    'wildcard several stars',
    { s: [{ wildcard: 'arn:*:s3:::*/logs/*' }] },
    { s: 'arn:aws:s3:::bkt/logs/x.gz' },
    true,
  ],
  ['wildcard escaped star is literal', { s: [{ wildcard: 'a\\*b' }] }, { s: 'a*b' }, true],
  ['wildcard escaped star does not glob', { s: [{ wildcard: 'a\\*b' }] }, { s: 'axb' }, false],
  ['wildcard escaped backslash', { s: [{ wildcard: 'a\\\\*' }] }, { s: 'a\\zz' }, true],
  ['wildcard star alone matches any string', { s: [{ wildcard: '*' }] }, { s: '' }, true],
  ['wildcard only on strings', { s: [{ wildcard: '*' }] }, { s: 5 }, false],
  // anything-but
  ['anything-but string', { s: [{ 'anything-but': 'init' }] }, { s: 'running' }, true],
  ['anything-but string excluded', { s: [{ 'anything-but': 'init' }] }, { s: 'init' }, false],
  ['anything-but string vs number', { s: [{ 'anything-but': '5' }] }, { s: 5 }, true],
  ['anything-but needs the field', { s: [{ 'anything-but': 'init' }] }, {}, false],
  ['anything-but number', { n: [{ 'anything-but': 123 }] }, { n: 124 }, true],
  ['anything-but number excluded', { n: [{ 'anything-but': 123 }] }, { n: 123.0 }, false],
  ['anything-but number vs string', { n: [{ 'anything-but': 123 }] }, { n: '123' }, true],
  ['anything-but number list', { n: [{ 'anything-but': [100, 200] }] }, { n: 200 }, false],
  ['anything-but on any array element', { s: [{ 'anything-but': 'a' }] }, { s: ['a', 'b'] }, true],
  [
    'anything-but all elements excluded',
    { s: [{ 'anything-but': ['a', 'b'] }] },
    { s: ['a', 'b'] },
    false,
  ],
  ['anything-but prefix', { s: [{ 'anything-but': { prefix: 'init' } }] }, { s: 'running' }, true],
  [
    'anything-but prefix excluded',
    { s: [{ 'anything-but': { prefix: 'init' } }] },
    { s: 'initializing' },
    false,
  ],
  ['anything-but suffix', { f: [{ 'anything-but': { suffix: '.txt' } }] }, { f: 'a.png' }, true],
  [
    'anything-but suffix excluded',
    { f: [{ 'anything-but': { suffix: '.txt' } }] },
    { f: 'a.txt' },
    false,
  ],
  [
    'anything-but equals-ignore-case',
    { s: [{ 'anything-but': { 'equals-ignore-case': 'Init' } }] },
    { s: 'INIT' },
    false,
  ],
  [
    'anything-but equals-ignore-case other',
    { s: [{ 'anything-but': { 'equals-ignore-case': 'Init' } }] },
    { s: 'Run' },
    true,
  ],
  [
    'anything-but wildcard',
    { p: [{ 'anything-but': { wildcard: '*/tmp/*' } }] },
    { p: '/a/tmp/b' },
    false,
  ],
  [
    'anything-but wildcard other',
    { p: [{ 'anything-but': { wildcard: '*/tmp/*' } }] },
    { p: '/a/b' },
    true,
  ],
  // numeric
  ['numeric range', { c: [{ numeric: ['>', 0, '<=', 5] }] }, { c: 5 }, true],
  ['numeric range open top', { c: [{ numeric: ['>', 0, '<', 5] }] }, { c: 5 }, false],
  ['numeric range open bottom', { c: [{ numeric: ['>', 0, '<=', 5] }] }, { c: 0 }, false],
  ['numeric >=', { c: [{ numeric: ['>=', 0] }] }, { c: 0 }, true],
  ['numeric <', { c: [{ numeric: ['<', -1.5] }] }, { c: -2 }, true],
  ['numeric <=', { c: [{ numeric: ['<=', -1.5] }] }, { c: -1.5 }, true],
  ['numeric =', { x: [{ numeric: ['=', 3.018e2] }] }, { x: 301.8 }, true],
  ['numeric six decimals', { x: [{ numeric: ['>', 0.000001] }] }, { x: 0.000002 }, true],
  ['numeric only on JSON numbers', { c: [{ numeric: ['>', 0] }] }, { c: '5' }, false],
  ['numeric at the limit', { c: [{ numeric: ['>=', 5e9] }] }, { c: 5e9 }, true],
  ['numeric ignores numbers beyond the limit', { c: [{ numeric: ['>', 0] }] }, { c: 6e9 }, false],
  ['numeric on any array element', { c: [{ numeric: ['>', 10] }] }, { c: [1, 20] }, true],
  // cidr
  ['cidr v4', { ip: [{ cidr: '10.0.0.0/24' }] }, { ip: '10.0.0.255' }, true],
  ['cidr v4 outside', { ip: [{ cidr: '10.0.0.0/24' }] }, { ip: '10.0.1.0' }, false],
  ['cidr v4 /8', { ip: [{ cidr: '10.0.0.0/8' }] }, { ip: '10.200.3.4' }, true],
  [
    'cidr v4 range starts at the written address',
    { ip: [{ cidr: '10.0.0.5/24' }] },
    { ip: '10.0.0.4' },
    false,
  ],
  ['cidr v6', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db8:ffff::1' }, true],
  [
    'cidr v6 compressed event',
    { ip: [{ cidr: '2001:db8:1234:1a00::/64' }] },
    { ip: '2001:db8:1234:1a00::9' },
    true,
  ],
  ['cidr v6 outside', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db9::1' }, false],
  ['cidr v4 does not match v6', { ip: [{ cidr: '0.0.0.0/1' }] }, { ip: '::1' }, false],
  ['cidr on a non-IP string', { ip: [{ cidr: '10.0.0.0/8' }] }, { ip: 'host-10.0.0.1' }, false],
  // exists
  ['exists true', { c: [{ exists: true }] }, { c: 1 }, true],
  ['exists true on null', { c: [{ exists: true }] }, { c: null }, true],
  ['exists true missing', { c: [{ exists: true }] }, { d: 1 }, false],
  ['exists true on an object (not a leaf)', { c: [{ exists: true }] }, { c: { x: 1 } }, false],
  ['exists false missing', { c: [{ exists: false }] }, { d: 1 }, true],
  ['exists false present', { c: [{ exists: false }] }, { c: 'x' }, false],
  ['exists false on an object (not a leaf)', { c: [{ exists: false }] }, { c: { x: 1 } }, true],
  ['exists false on an empty array', { c: [{ exists: false }] }, { c: [] }, true],
  ['exists false or a value', { s: [{ exists: false }, 'x'] }, { s: 'x' }, true],
  // event-ruler checks absence against the array elements chosen for the fields before it
  // (fields in path order): a later field's value in another element does not count
  [
    'exists false after a field chose another array element',
    { a: { c: ['x'], z: [{ exists: false }] } },
    { a: [{ c: 'x' }, { c: 'y', z: 1 }] },
    true,
  ],
  [
    'exists false checked before any array element is chosen',
    { a: { b: [{ exists: false }], c: ['x'] } },
    { a: [{ c: 'x' }, { c: 'y', b: 1 }] },
    false,
  ],
  [
    'exists false in the same array element',
    { a: { c: ['x'], z: [{ exists: false }] } },
    { a: [{ c: 'x', z: 1 }] },
    false,
  ],
  [
    'exists false with a value outside arrays',
    { a: { c: ['x'], z: [{ exists: false }] } },
    { a: [{ c: 'x' }], 'a.z': 1 },
    false,
  ],
  // $or
  [
    '$or first branch',
    { source: ['cw'], $or: [{ m: ['cpu'] }, { n: ['ec2'] }] },
    { source: 'cw', m: 'cpu' },
    true,
  ],
  [
    '$or second branch',
    { source: ['cw'], $or: [{ m: ['cpu'] }, { n: ['ec2'] }] },
    { source: 'cw', n: 'ec2' },
    true,
  ],
  [
    '$or none',
    { source: ['cw'], $or: [{ m: ['cpu'] }, { n: ['ec2'] }] },
    { source: 'cw', m: 'x' },
    false,
  ],
  [
    '$or AND outside still applies',
    { source: ['cw'], $or: [{ m: ['cpu'] }, { n: ['ec2'] }] },
    { source: 'x', m: 'cpu' },
    false,
  ],
  [
    '$or with an AND inside',
    { $or: [{ a: ['1'] }, { b: ['2'], c: ['3'] }] },
    { b: '2', c: '4' },
    false,
  ],
  [
    'nested $or',
    { s: ['cw'], $or: [{ m: ['cpu'] }, { t: ['T'], $or: [{ id: [1234] }, { sp: [1000] }] }] },
    { s: 'cw', t: 'T', sp: 1000 },
    true,
  ],
  [
    'parallel $or at two levels',
    { $or: [{ m: ['cpu'] }, { n: ['ec2'] }], d: { $or: [{ s: ['x'] }, { dt: ['y'] }] } },
    { n: 'ec2', d: { dt: 'y' } },
    true,
  ],
  [
    'parallel $or needs both',
    { $or: [{ m: ['cpu'] }, { n: ['ec2'] }], d: { $or: [{ s: ['x'] }, { dt: ['y'] }] } },
    { n: 'ec2', d: { dt: 'z' } },
    false,
  ],
  [
    '$or inside a nested object',
    { detail: { $or: [{ a: [1] }, { b: [2] }] } },
    { detail: { b: 2 } },
    true,
  ],
];

describe('Function: matchesPattern (documented semantics)', () => {
  it.each(cases)('%s', (_name, pattern, event, expected) => {
    // Act
    const fromObject = matchesPattern(pattern, event);
    const fromText = matchesPattern(JSON.stringify(pattern), JSON.stringify(event));
    // Assess: same answer whether pattern and event are objects or JSON text
    expect(fromObject).toBe(expected);
    expect(fromText).toBe(expected);
  });
});
