import { SharedError } from '../errors.js';

/**
 * The OCSF `type_uid` of an activity: `class_uid * 100 + activity_id`. Throws when either is
 * not a non-negative whole number or the activity is outside 0–99.
 */
export function typeUid(classUid: number, activityId: number): number {
  if (!Number.isInteger(classUid) || classUid < 0)
    throw new SharedError(`class_uid must be a non-negative whole number, got ${classUid}`);
  if (!Number.isInteger(activityId) || activityId < 0 || activityId > 99)
    throw new SharedError(`activity_id must be a whole number from 0 to 99, got ${activityId}`);
  return classUid * 100 + activityId;
}
