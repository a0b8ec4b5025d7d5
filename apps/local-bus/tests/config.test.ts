import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LocalBusAppError, loadConfig } from '../src/index.js';

const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), '../routing.example.json');

describe('Function: loadConfig', () => {
  it('reads the options from the environment, with the example routing file', () => {
    const o = loadConfig({
      LOCAL_BUS_DATA_DIR: '/tmp/bus',
      LOCAL_BUS_PORT: '4010',
      LOCAL_BUS_CONFIG: EXAMPLE,
      LOCAL_BUS_ACCOUNT: '123456789012',
      LOCAL_BUS_ACCESS_KEY_ID: 'AKID',
      LOCAL_BUS_SECRET_ACCESS_KEY: 'secret',
    });
    expect(o).toMatchObject({
      dataDir: '/tmp/bus',
      port: 4010,
      account: '123456789012',
      credentials: [{ accessKeyId: 'AKID', secretAccessKey: 'secret' }],
    });
    expect(o.routing?.EventBuses[0]?.Rules.map((r) => r.Name)).toContain(
      'risky-findings-to-notify',
    );
  });

  it.each([
    [{}, 'LOCAL_BUS_DATA_DIR must name the data folder'],
    [
      { LOCAL_BUS_DATA_DIR: 'd', LOCAL_BUS_PORT: 'http' },
      "LOCAL_BUS_PORT must be a whole number from 0 to 65535, got 'http'",
    ],
    [
      { LOCAL_BUS_DATA_DIR: 'd', LOCAL_BUS_ACCESS_KEY_ID: 'x' },
      'set both LOCAL_BUS_ACCESS_KEY_ID and LOCAL_BUS_SECRET_ACCESS_KEY',
    ],
    [
      { LOCAL_BUS_DATA_DIR: 'd', LOCAL_BUS_ACCOUNT: '42' },
      "LOCAL_BUS_ACCOUNT must be 12 digits, got '42'",
    ],
  ])('rejects bad settings with a message naming them: %#', (env, message) => {
    expect(() => loadConfig(env)).toThrow(LocalBusAppError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('names the routing file and field when the file is invalid', () => {
    expect(() =>
      loadConfig({ LOCAL_BUS_DATA_DIR: 'd', LOCAL_BUS_CONFIG: '/nonexistent/routing.json' }),
    ).toThrow('/nonexistent/routing.json');
  });
});
