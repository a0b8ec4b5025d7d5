import { describe, expect, it } from 'vitest';
import {
  boolean,
  ConfigError,
  decimal,
  integer,
  oneOf,
  optionalString,
  requiredString,
  url,
} from '../src/index.js';

describe('Function: environment getters', () => {
  const env = {
    PORT: '4012',
    BAD_PORT: '70000',
    RATE: '0.25',
    FLAG: 'yes',
    MODE: 'peer',
    EMPTY: '  ',
    HOOK: 'ftp://x',
  };

  it('read typed values with defaults', () => {
    expect(integer(env, 'PORT', { default: 0, min: 0, max: 65535 })).toBe(4012);
    expect(integer(env, 'UNSET', { default: 7 })).toBe(7);
    expect(decimal(env, 'RATE', { default: 1, min: 0, max: 1 })).toBe(0.25);
    expect(boolean(env, 'FLAG', false)).toBe(true);
    expect(oneOf(env, 'MODE', ['source', 'peer'] as const, 'source')).toBe('peer');
    expect(optionalString(env, 'EMPTY', 'fallback')).toBe('fallback');
    expect(requiredString(env, 'MODE')).toBe('peer');
  });

  it('name the variable and the bad value', () => {
    expect(() => integer(env, 'BAD_PORT', { default: 0, min: 0, max: 65535 })).toThrow(
      new ConfigError("BAD_PORT must be a whole number from 0 to 65535, got '70000'"),
    );
    expect(() => requiredString(env, 'EMPTY')).toThrow('EMPTY is required but not set');
    expect(() => oneOf(env, 'FLAG', ['a', 'b'], 'a')).toThrow(
      "FLAG must be one of a, b, got 'yes'",
    );
    expect(() => url(env, 'HOOK')).toThrow("HOOK must be an http(s) URL, got 'ftp://x'");
    expect(() => boolean({ F: 'maybe' }, 'F', true)).toThrow(
      "F must be true or false, got 'maybe'",
    );
  });
});
