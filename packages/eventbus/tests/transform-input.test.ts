import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compileTargetInput,
  InvalidTargetInputError,
  transformInput,
  validateTargetInput,
} from '../src/index.js';

const event = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'events', 'ec2-state-change.json'), 'utf8'),
) as Record<string, unknown>;
const paths = { instance: '$.detail.instance-id', state: '$.detail.state', time: '$.time' };
const context = {
  ruleName: 'example',
  ruleArn: 'arn:aws:events:us-east-2:123456789012:rule/example',
  ingestionTime: '2015-11-11T21:29:55Z',
};
const transform = (template: string, map: Record<string, string> = paths): string =>
  transformInput(
    { InputTransformer: { InputPathsMap: map, InputTemplate: template } },
    event,
    context,
  );

describe('Function: transformInput', () => {
  it('sends the whole event as JSON when the target has no input settings', () => {
    // Act
    const body = transformInput({}, event);
    // Assess
    expect(JSON.parse(body)).toEqual(event);
  });

  it('sends Input as is', () => {
    // Act
    const body = transformInput({ Input: '{ "fixed": true }' }, event);
    // Assess
    expect(body).toBe('{ "fixed": true }');
  });

  it('sends the part InputPath selects, as JSON', () => {
    // Act & Assess
    expect(transformInput({ InputPath: '$.detail' }, event)).toBe(JSON.stringify(event.detail));
    expect(transformInput({ InputPath: '$.detail.state' }, event)).toBe('"RUNNING"');
    expect(transformInput({ InputPath: '$.resources[0]' }, event)).toBe(
      '"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"',
    );
    expect(transformInput({ InputPath: '$.detail.tags[*].key' }, event)).toBe('["env","team"]');
    expect(transformInput({ InputPath: '$.detail.missing' }, event)).toBe('null');
  });

  // The AWS user guide's input transformer examples, template by template.
  it('fills a plain string template with bare text', () => {
    expect(transform('"instance <instance> is in <state>"')).toBe(
      '"instance i-0123456789 is in RUNNING"',
    );
    expect(transform('<instance> is in state <state>')).toBe('i-0123456789 is in state RUNNING');
  });

  it('quotes string values used as JSON values and leaves them bare inside JSON strings', () => {
    // Act
    const body = transform(
      '{\n "instance" : <instance>,\n "state": "<state>",\n "instanceStatus": "instance \\"<instance>\\" is in <state>"\n}',
    );
    // Assess: minified JSON
    expect(body).toBe(
      '{"instance":"i-0123456789","state":"RUNNING","instanceStatus":"instance \\"i-0123456789\\" is in RUNNING"}',
    );
  });

  it('mixes variables with static JSON', () => {
    expect(
      transform('{"instance" : <instance>, "state": [ 9, <state>, true ], "Transformed" : "Yes"}'),
    ).toBe('{"instance":"i-0123456789","state":[9,"RUNNING",true],"Transformed":"Yes"}');
  });

  it('inserts objects, numbers and arrays as JSON', () => {
    const body = transform('{"d": <d>, "n": <n>, "tags": <tags>, "text": "n=<n>"}', {
      d: '$.detail.tags[0]',
      n: '$.detail.count',
      tags: '$.detail.tags[*].value',
    });
    expect(JSON.parse(body)).toEqual({
      d: { key: 'env', value: 'prod' },
      n: 3,
      tags: ['prod', 'sec'],
      text: 'n=3',
    });
  });

  it('fills the predefined variables', () => {
    // Act
    const body = JSON.parse(
      transform(
        '{"ruleArn": <aws.events.rule-arn>, "ruleName": <aws.events.rule-name>, "at": "<aws.events.event.ingestion-time>", "original": <aws.events.event>, "full": <aws.events.event.json>}',
      ),
    ) as Record<string, unknown>;
    // Assess
    expect(body.ruleArn).toBe(context.ruleArn);
    expect(body.ruleName).toBe('example');
    expect(body.at).toBe('2015-11-11T21:29:55Z');
    const { detail: _d, ...withoutDetail } = event;
    expect(body.original).toEqual(withoutDetail);
    expect(body.full).toEqual(event);
    expect(transform('"<aws.events.rule-name> triggered"')).toBe('"example triggered"');
  });

  it('renders a missing path as null in a JSON value and as nothing inside a string', () => {
    const body = transform('{"a": <gone>, "b": "x<gone>y"}', { gone: '$.detail.nope' });
    expect(body).toBe('{"a":null,"b":"xy"}');
  });
});

describe('Function: validateTargetInput', () => {
  const rejects = (target: Parameters<typeof validateTargetInput>[0], message: RegExp) => {
    expect(() => validateTargetInput(target)).toThrow(InvalidTargetInputError);
    expect(() => validateTargetInput(target)).toThrow(message);
  };

  it('accepts each of the three input kinds', () => {
    expect(() => validateTargetInput({ Input: '"x"' })).not.toThrow();
    expect(() => validateTargetInput({ InputPath: "$.detail['state']" })).not.toThrow();
    expect(() =>
      validateTargetInput({
        InputTransformer: { InputPathsMap: paths, InputTemplate: '"<state>"' },
      }),
    ).not.toThrow();
  });

  it('rejects more than one input kind, naming the target', () => {
    rejects(
      { Id: 't1', Input: '{}', InputPath: '$.detail' },
      /^Only one of Input, InputPath, or InputTransformer must be provided for target t1\.$/,
    );
  });

  it('rejects Input that is not JSON', () => {
    rejects({ Id: 't1', Input: 'not json' }, /Input for target t1 is not valid JSON/);
  });

  it('rejects paths EventBridge does not support', () => {
    rejects({ InputPath: 'detail.state' }, /'detail\.state' \(must start with \$\)/);
    rejects({ InputPath: '$.detail[?(@.x)]' }, /unsupported selector/);
  });

  it('rejects more than 100 paths', () => {
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`v${i}`, '$.id']));
    rejects(
      { InputTransformer: { InputPathsMap: many, InputTemplate: '"x"' } },
      /has 101 entries; at most 100/,
    );
  });

  it('rejects reserved names and undefined or key placeholders', () => {
    rejects(
      {
        InputTransformer: {
          InputPathsMap: { 'aws.events.rule-name': '$.id' },
          InputTemplate: '"x"',
        },
      },
      /'aws\.events\.rule-name' .* is reserved/,
    );
    rejects(
      { Id: 'n', InputTransformer: { InputPathsMap: paths, InputTemplate: '{"a": <nope>}' } },
      /^InputTemplate for target n contains invalid placeholder nope\.$/,
    );
    rejects(
      { InputTransformer: { InputPathsMap: paths, InputTemplate: '{<state>: 1}' } },
      /placeholder <state> as an object key/,
    );
    rejects(
      { InputTransformer: { InputPathsMap: paths, InputTemplate: '{"id-<state>" : 1}' } },
      /placeholder <state> as an object key/,
    );
    expect(() =>
      validateTargetInput({
        InputTransformer: { InputPathsMap: paths, InputTemplate: '{"k": "<state>:<instance>"}' },
      }),
    ).not.toThrow();
  });
});

describe('Function: compileTargetInput', () => {
  it('validates once and then fills the template for each event', () => {
    // Prepare
    const compiled = compileTargetInput({
      InputTransformer: {
        InputPathsMap: { s: '$.detail.state' },
        InputTemplate: '{"s": <s>, "rule": "<aws.events.rule-name>"}',
      },
    });
    const other = { ...event, detail: { state: 'STOPPED' } };
    // Act & Assess
    expect(compiled.transform(event, { ruleName: 'r1' })).toBe('{"s":"RUNNING","rule":"r1"}');
    expect(compiled.transform(other, { ruleName: 'r2' })).toBe('{"s":"STOPPED","rule":"r2"}');
    expect(() => compileTargetInput({ Id: 'x', Input: '{', InputPath: '$' })).toThrow(
      InvalidTargetInputError,
    );
  });
});
