import {
  DETECTION_FINDING_ACTIVITY_ID,
  DNS_ACTIVITY_ACTIVITY_ID,
  DNS_ACTIVITY_RCODE_ID,
  NETWORK_ACTIVITY_ACTIVITY_ID,
  NETWORK_CONNECTION_INFO_BOUNDARY_ID,
  NETWORK_CONNECTION_INFO_DIRECTION_ID,
} from './generated/enums.js';

/** Network Activity (4001) activities, e.g. `NETWORK_ACTIVITY.Traffic` = 6. */
export const NETWORK_ACTIVITY = NETWORK_ACTIVITY_ACTIVITY_ID;
/** DNS Activity (4003) activities, e.g. `DNS_ACTIVITY.Response` = 2. */
export const DNS_ACTIVITY = DNS_ACTIVITY_ACTIVITY_ID;
/** Detection Finding (2004) activities, e.g. `DETECTION_FINDING_ACTIVITY.Create` = 1. */
export const DETECTION_FINDING_ACTIVITY = DETECTION_FINDING_ACTIVITY_ID;
/** `connection_info.direction_id`, e.g. `DIRECTION.Inbound` = 1. */
export const DIRECTION = NETWORK_CONNECTION_INFO_DIRECTION_ID;
/** `connection_info.boundary_id`, e.g. `BOUNDARY.SameVpc` = 4. */
export const BOUNDARY = NETWORK_CONNECTION_INFO_BOUNDARY_ID;
/** DNS `rcode_id`, e.g. `RCODE.NXDomain` = 3. */
export const RCODE = DNS_ACTIVITY_RCODE_ID;
