import { Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { SecurityLakeSettings } from './settings.js';

/** Options of {@link LakeQueryAccess}. */
export interface LakeQueryAccessOptions {
  securityLake: SecurityLakeSettings;
  dataBucket: s3.IBucket;
}

/**
 * What `lakewatch pairs --athena` needs to read Security Lake through Athena, as a Security
 * Lake query-access subscriber does: an Athena workgroup writing to the data bucket, a managed
 * policy (Glue catalog reads on the Security Lake database and tables, Lake Formation data
 * access, the workgroup, the results and training prefixes) to attach to whoever runs it, and
 * optionally the Lake Formation SELECT/DESCRIBE grants on the tables.
 */
export class LakeQueryAccess extends Construct {
  readonly workGroup: athena.CfnWorkGroup;
  readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, options: LakeQueryAccessOptions) {
    super(scope, id);
    const stack = Stack.of(this);
    const { securityLake: sl, dataBucket } = options;
    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: 'lakewatch',
      description: 'Lakewatch training-pair queries over Security Lake',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        // the CLI may name its own results location (`--results-location`)
        enforceWorkGroupConfiguration: false,
        resultConfiguration: {
          outputLocation: `s3://${dataBucket.bucketName}/athena-results/`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
    const glue = (resource: string, resourceName?: string): string =>
      stack.formatArn({ service: 'glue', resource, ...(resourceName && { resourceName }) });
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Query Security Lake with Athena for Lakewatch training pairs',
      statements: [
        new iam.PolicyStatement({
          actions: [
            'athena:StartQueryExecution',
            'athena:GetQueryExecution',
            'athena:GetQueryResults',
            'athena:StopQueryExecution',
          ],
          resources: [
            stack.formatArn({
              service: 'athena',
              resource: 'workgroup',
              resourceName: this.workGroup.name,
            }),
          ],
        }),
        new iam.PolicyStatement({
          actions: [
            'glue:GetDatabase',
            'glue:GetTable',
            'glue:GetTables',
            'glue:GetPartition',
            'glue:GetPartitions',
          ],
          resources: [
            glue('catalog'),
            glue('database', sl.glueDatabase),
            ...sl.glueTables.map((t) => glue('table', `${sl.glueDatabase}/${t}`)),
          ],
        }),
        // A lake registered with Lake Formation is read with vended credentials; the direct
        // read covers a bucket that is not (the CLI README lists it as well).
        new iam.PolicyStatement({
          actions: ['s3:GetObject'],
          resources: [`arn:${stack.partition}:s3:::${sl.bucketName}/*`],
        }),
        // Lake Formation vends the table's S3 credentials; GetDataAccess has no resource-level permission.
        new iam.PolicyStatement({ actions: ['lakeformation:GetDataAccess'], resources: ['*'] }),
      ],
    });
    dataBucket.grantReadWrite(this.policy, 'athena-results/*');
    dataBucket.grantReadWrite(this.policy, 'training/*');
    for (const [i, principal] of sl.lakeFormationPrincipals.entries())
      for (const [j, table] of sl.glueTables.entries())
        new lakeformation.CfnPrincipalPermissions(this, `Grant${i}x${j}`, {
          principal: { dataLakePrincipalIdentifier: principal },
          resource: {
            table: { catalogId: stack.account, databaseName: sl.glueDatabase, name: table },
          },
          permissions: ['SELECT', 'DESCRIBE'],
          permissionsWithGrantOption: [],
        });
  }
}
