/** An event as EventBridge delivers it to targets and stores it in archives. */
export interface BusEvent {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
  /** Set on events that a replay re-delivers. */
  'replay-name'?: string;
}

/** ISO-8601 to the second, as EventBridge writes `time` (`2026-11-29T01:23:15Z`). */
export function eventTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}
