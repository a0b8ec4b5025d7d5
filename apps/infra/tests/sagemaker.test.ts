import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ipInsightsImage } from '../src/ipinsights-image.ts';
import {
  actions,
  type Cfn,
  exampleStack,
  functionId,
  resources,
  roleStatements,
} from './helpers.ts';

const MODEL = 's3://lakewatch-models-111122223333/ipinsights/output/model.tar.gz';

describe('Stack: LakewatchStack in SageMaker scoring mode (functions not bundled)', () => {
  let t: Template;
  beforeAll(() => {
    const { stack } = exampleStack({
      scoringMode: 'sagemaker',
      modelDataUrl: MODEL,
      archiveRetentionDays: 90,
    });
    t = Template.fromStack(stack);
  });

  it('creates the IP Insights model, endpoint config and endpoint with the region image', () => {
    t.hasResourceProperties('AWS::SageMaker::Model', {
      PrimaryContainer: {
        Image: '382416733822.dkr.ecr.us-east-1.amazonaws.com/ipinsights:1',
        ModelDataUrl: MODEL,
      },
    });
    t.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [
        { InstanceType: 'ml.m5.large', InitialInstanceCount: 1, VariantName: 'AllTraffic' },
      ],
    });
    t.hasResourceProperties('AWS::SageMaker::Endpoint', { EndpointName: 'lakewatch-ipinsights' });
    t.hasResourceProperties('AWS::Events::Archive', { RetentionDays: 90 });
    const json = t.toJSON();
    const env =
      json.Resources[functionId(json, 'lakewatch-score')].Properties.Environment.Variables;
    expect(env).toMatchObject({
      SCORE_MODE: 'sagemaker',
      SCORE_ENDPOINT_NAME: 'lakewatch-ipinsights',
    });
    const invoke = roleStatements(json, 'lakewatch-score').find((s) =>
      actions(s).includes('sagemaker:InvokeEndpoint'),
    )!;
    expect(JSON.stringify(invoke.Resource)).toContain(':endpoint/lakewatch-ipinsights');
  });

  it('lets the model role read only its artifact and pull only the IP Insights repository', () => {
    const json = t.toJSON();
    const roleOf = (prefix: string) =>
      Object.entries(json.Resources as Record<string, Cfn>)
        .filter(
          ([, r]) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles[0].Ref.startsWith(prefix),
        )
        .flatMap(([, r]) => r.Properties.PolicyDocument.Statement);
    const model = roleOf('IpInsightsRole');
    expect(model).toContainEqual(
      expect.objectContaining({
        Action: 's3:GetObject',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':s3:::lakewatch-models-111122223333/ipinsights/output/model.tar.gz',
            ],
          ],
        },
      }),
    );
    const pull = model.find((s: Cfn) => actions(s).includes('ecr:BatchGetImage'));
    expect(pull.Resource).toBe('arn:aws:ecr:us-east-1:382416733822:repository/ipinsights');
    const training = roleOf('TrainingRole');
    expect(JSON.stringify(training)).toContain('/training/*');
    expect(JSON.stringify(training)).toContain('/models/*');
    expect(training.flatMap(resources)).not.toContain('arn:aws:s3:::*');
  });

  it('uses an existing endpoint when the stack does not create one', () => {
    const { stack } = exampleStack({
      scoringMode: 'sagemaker',
      createEndpoint: 'false',
      endpointName: 'ours',
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SageMaker::Endpoint', 0);
    const json = t.toJSON();
    expect(
      json.Resources[functionId(json, 'lakewatch-score')].Properties.Environment.Variables
        .SCORE_ENDPOINT_NAME,
    ).toBe('ours');
  });
});

describe('Function: ipInsightsImage', () => {
  it('gives the documented registry of each region and refuses one without the image', () => {
    expect(ipInsightsImage('eu-west-1').uri).toBe(
      '438346466558.dkr.ecr.eu-west-1.amazonaws.com/ipinsights:1',
    );
    expect(ipInsightsImage('cn-north-1').uri).toBe(
      '390948362332.dkr.ecr.cn-north-1.amazonaws.com.cn/ipinsights:1',
    );
    expect(ipInsightsImage('cn-north-1').repositoryArn).toMatch(/^arn:aws-cn:ecr:/);
    expect(() => ipInsightsImage('xx-nowhere-1')).toThrow(
      /SageMaker IP Insights has no documented image in 'xx-nowhere-1'/,
    );
  });
});
