import { describe, expect, it } from 'vitest';
import { InvalidRequestError, requestFormat, responseSpec } from '../src/index.js';

describe('Function: requestFormat', () => {
  it('maps the three IP Insights content types, ignoring parameters and case', () => {
    // Act
    const formats = ['text/csv', 'Application/JSON; charset=utf-8', 'application/jsonlines'].map(
      requestFormat,
    );

    // Assess
    expect(formats).toEqual(['csv', 'json', 'jsonlines']);
  });

  it('refuses a missing or unsupported type with 415, naming it', () => {
    // Act
    const missing = () => requestFormat(undefined);
    const protobuf = () => requestFormat('application/x-recordio-protobuf');

    // Assess
    expect(missing).toThrow('missing Content-Type');
    expect(protobuf).toThrow("Content-Type 'application/x-recordio-protobuf' is not supported");
    try {
      protobuf();
    } catch (e) {
      expect((e as InvalidRequestError).statusCode).toBe(415);
    }
  });
});

describe('Function: responseSpec', () => {
  it('defaults to application/json and reads verbose=True in any case', () => {
    // Act
    const specs = [
      undefined,
      '*/*',
      'application/json; verbose=True',
      'application/jsonlines;verbose=true',
      'text/html, application/jsonlines',
    ].map(responseSpec);

    // Assess
    expect(specs.map((s) => [s.format, s.verbose])).toEqual([
      ['json', false],
      ['json', false],
      ['json', true],
      ['jsonlines', true],
      ['jsonlines', false],
    ]);
  });

  it('refuses an Accept with nothing supported, with 406', () => {
    // Act
    const act = () => responseSpec('text/csv');

    // Assess
    expect(act).toThrow(InvalidRequestError);
    expect(act).toThrow("Accept 'text/csv' is not supported");
  });
});
