import { usage } from './aws.js';

/**
 * The AWS accounts whose ECR registries hold SageMaker's built-in IP Insights image
 * (`ipinsights:1`), by region, as AWS documents them ("Docker Registry Paths and Example
 * Code") and the SageMaker Python SDK ships them (`image_uri_config/ipinsights.json`).
 * ISO partitions are left out: their registry domains differ; pass `--image` there.
 */
export const IPINSIGHTS_REGISTRIES: Readonly<Record<string, string>> = {
  'af-south-1': '455444449433',
  'ap-east-1': '286214385809',
  'ap-northeast-1': '351501993468',
  'ap-northeast-2': '835164637446',
  'ap-northeast-3': '867004704886',
  'ap-south-1': '991648021394',
  'ap-south-2': '628508329040',
  'ap-southeast-1': '475088953585',
  'ap-southeast-2': '712309505854',
  'ap-southeast-3': '951798379941',
  'ap-southeast-4': '106583098589',
  'ca-central-1': '469771592824',
  'ca-west-1': '190319476487',
  'cn-north-1': '390948362332',
  'cn-northwest-1': '387376663083',
  'eu-central-1': '664544806723',
  'eu-central-2': '680994064768',
  'eu-north-1': '669576153137',
  'eu-south-1': '257386234256',
  'eu-south-2': '104374241257',
  'eu-west-1': '438346466558',
  'eu-west-2': '644912444149',
  'eu-west-3': '749696950732',
  'il-central-1': '898809789911',
  'me-central-1': '272398656194',
  'me-south-1': '249704162688',
  'sa-east-1': '855470959533',
  'us-east-1': '382416733822',
  'us-east-2': '404615174143',
  'us-gov-east-1': '237065988967',
  'us-gov-west-1': '226302683700',
  'us-west-1': '632365934929',
  'us-west-2': '174872318107',
};

/**
 * The built-in IP Insights image URI for `region`.
 *
 * @example
 * ipInsightsImage('us-east-1'); // '382416733822.dkr.ecr.us-east-1.amazonaws.com/ipinsights:1'
 */
export function ipInsightsImage(region: string): string {
  const account = IPINSIGHTS_REGISTRIES[region];
  if (!account)
    throw usage(
      `no IP Insights image is known for region '${region}'; pass --image <uri>, or use one of: ${Object.keys(IPINSIGHTS_REGISTRIES).join(', ')}`,
    );
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `${account}.dkr.ecr.${region}.${domain}/ipinsights:1`;
}
