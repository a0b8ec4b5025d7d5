import { App } from 'aws-cdk-lib';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { settingsFromContext } from './config.js';
import { LakewatchStack } from './stack.js';

/** Options of {@link buildApp}. */
export interface AppOptions {
  /** CDK context (`config`, overrides); the CDK CLI passes its own through the environment. */
  context?: Record<string, unknown>;
  /** @default the CLI's `CDK_OUTDIR`, else a temporary folder */
  outdir?: string;
}

/** The CDK app: one {@link LakewatchStack} from the settings the context names. */
export function buildApp(options: AppOptions = {}): { app: App; stack: LakewatchStack } {
  const app = new App({
    ...(options.context && { context: options.context }),
    ...(options.outdir && { outdir: options.outdir }),
  });
  const settings = settingsFromContext((key) => app.node.tryGetContext(key));
  const stack = new LakewatchStack(app, settings.stackName, {
    settings,
    env: { account: settings.account, region: settings.region },
    description:
      'Lakewatch: anomalous network behaviour from Security Lake with IP Insights (apps/infra)',
  });
  return { app, stack };
}

/** Builds and synthesizes the app (CloudFormation template and bundled assets in `outdir`). */
export function synthesize(options: AppOptions = {}): CloudAssembly {
  return buildApp(options).app.synth();
}
