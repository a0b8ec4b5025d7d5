export {
  ipv4ToNumber,
  ipv6ToBigInt,
  isPublicIp,
  type ParsedCidr,
  type ParsedIp,
  parseCidr,
  parseIp,
} from './address.js';
export { type AsnInfo, GeoAsnDatabase } from './asn.js';
export { CidrIndex, RangeIndex } from './cidr-index.js';
export { splitCsvLine } from './csv.js';
export { AddressError, IntelError } from './errors.js';
export {
  type FeedSource,
  type FeedStats,
  type MalformedLine,
  type ParsedFeed,
  parseFeed,
  ReputationFeeds,
  type ReputationFeedsOptions,
  type ReputationHit,
} from './feeds.js';
export {
  type GuardDutyFindingSummary,
  GuardDutyIntel,
  type GuardDutyIntelOptions,
  type GuardDutyLookup,
  INSTANCE_CRITERION,
  IP_CRITERIA,
} from './guardduty.js';
