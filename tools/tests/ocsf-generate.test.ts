import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { staleOcsf } from '../src/ocsf/cli.js';
import { readOcsfExport, renderOcsf } from '../src/ocsf/generate.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('Function: renderOcsf', () => {
  it('matches the committed models in packages/shared/src/ocsf/generated (run npm run ocsf:generate)', () => {
    // Act
    const stale = staleOcsf(root);
    // Assess
    expect(stale).toEqual([]);
  });

  it('generates the three classes with their enums and the profile attributes', () => {
    // Prepare
    const schema = readOcsfExport(root);
    // Act
    const files = renderOcsf(schema);
    // Assess
    expect([...files.keys()].sort()).toEqual([
      'detection-finding.schema.json',
      'dns-activity.schema.json',
      'enums.ts',
      'network-activity.schema.json',
      'schemas.ts',
      'types.ts',
    ]);
    const network = JSON.parse(files.get('network-activity.schema.json')!);
    expect(network.properties.class_uid).toEqual({ type: 'integer', const: 4001 });
    expect(network.properties.activity_id.enum).toEqual([0, 1, 2, 3, 4, 5, 6, 99]);
    expect(network.properties).toHaveProperty('time_dt');
    expect(network.properties).toHaveProperty('disposition_id');
    expect(network.properties).not.toHaveProperty('device');
    expect(network.definitions.cloud.properties).toHaveProperty('account');
    expect(files.get('enums.ts')).toContain('export const NETWORK_CONNECTION_INFO_BOUNDARY_ID = {');
    expect(files.get('types.ts')).toContain('export interface DnsActivity {');
  });

  it('names a class the export lacks', () => {
    // Prepare
    const schema = readOcsfExport(root);
    delete (schema.classes as Record<string, unknown>).dns_activity;
    // Act / Assess
    expect(() => renderOcsf(schema)).toThrow(/no class 'dns_activity'/);
  });
});
