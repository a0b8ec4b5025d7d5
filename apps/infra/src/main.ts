// The CDK CLI's app (cdk.json): `cdk deploy -c config=config/<name>.json [-c key=value…]`.
import { synthesize } from './app.js';

synthesize();
