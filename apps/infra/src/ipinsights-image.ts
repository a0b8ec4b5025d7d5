import { SettingsError } from './errors.js';

/**
 * The ECR registry account of SageMaker's built-in IP Insights image (`ipinsights:1`) per
 * region, as the SageMaker documentation's "Docker Registry Paths" pages list it (the same
 * table the SageMaker Python SDK ships as `image_uri_config/ipinsights.json`).
 */
export const IPINSIGHTS_REGISTRY_ACCOUNTS: Readonly<Record<string, string>> = {
  'af-south-1': '455444449433',
  'ap-east-1': '286214385809',
  'ap-northeast-1': '351501993468',
  'ap-northeast-2': '835164637446',
  'ap-northeast-3': '364406365360',
  'ap-south-1': '991648021394',
  'ap-southeast-1': '475088953585',
  'ap-southeast-2': '712309505854',
  'ca-central-1': '469771592824',
  'cn-north-1': '390948362332',
  'cn-northwest-1': '387376663083',
  'eu-central-1': '664544806723',
  'eu-north-1': '669576153137',
  'eu-south-1': '257386234256',
  'eu-west-1': '438346466558',
  'eu-west-2': '644912444149',
  'eu-west-3': '749696950732',
  'me-south-1': '249704162688',
  'sa-east-1': '855470959533',
  'us-east-1': '382416733822',
  'us-east-2': '404615174143',
  'us-gov-west-1': '226302683700',
  'us-west-1': '632365934929',
  'us-west-2': '174872318107',
};

/** Where the IP Insights image lives in a region: registry account, repository ARN and image URI. */
export interface IpInsightsImage {
  account: string;
  uri: string;
  repositoryArn: string;
}

/**
 * The built-in IP Insights image (training and inference share it) for a region.
 * @throws SettingsError when the region has no documented IP Insights registry.
 * @example ipInsightsImage('us-east-1').uri // '382416733822.dkr.ecr.us-east-1.amazonaws.com/ipinsights:1'
 */
export function ipInsightsImage(region: string): IpInsightsImage {
  const account = IPINSIGHTS_REGISTRY_ACCOUNTS[region];
  if (!account)
    throw new SettingsError(
      'region',
      `SageMaker IP Insights has no documented image in '${region}' (regions: ${Object.keys(IPINSIGHTS_REGISTRY_ACCOUNTS).join(', ')})`,
    );
  const china = region.startsWith('cn-');
  const partition = china ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  const domain = china ? 'amazonaws.com.cn' : 'amazonaws.com';
  return {
    account,
    uri: `${account}.dkr.ecr.${region}.${domain}/ipinsights:1`,
    repositoryArn: `arn:${partition}:ecr:${region}:${account}:repository/ipinsights`,
  };
}
