// `npm run synth` (nx run infra:synth): the CDK app without the CDK CLI, so synthesis never
// asks AWS anything (no credential or account look-up): the settings file names a dummy
// account and region. Usage: node dist/synth.js <settings file> <outdir>
import { rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { synthesize } from './app.js';

const [file = 'config/example.json', outdir = 'cdk.out'] = process.argv.slice(2);
const started = performance.now();
rmSync(resolve(outdir), { recursive: true, force: true });
const assembly = synthesize({ context: { config: file }, outdir: resolve(outdir) });
for (const s of assembly.stacks)
  console.log(`${s.stackName}: ${s.templateFullPath} (${statSync(s.templateFullPath).size} bytes)`);
console.log(`synthesized in ${((performance.now() - started) / 1000).toFixed(1)} s`);
