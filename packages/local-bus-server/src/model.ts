/** An EventBridge `Target` as PutTargets receives it (the fields the local bus honours). */
export interface Target {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  RetryPolicy?: { MaximumRetryAttempts?: number; MaximumEventAgeInSeconds?: number };
  DeadLetterConfig?: { Arn?: string };
  HttpParameters?: {
    PathParameterValues?: string[];
    HeaderParameters?: Record<string, string>;
    QueryStringParameters?: Record<string, string>;
  };
}

/** An event bus. Times are milliseconds since the epoch. */
export interface BusRecord {
  name: string;
  description?: string;
  creationTime: number;
  lastModifiedTime: number;
}

/** A rule with its targets. */
export interface RuleRecord {
  name: string;
  bus: string;
  eventPattern: string;
  state: 'ENABLED' | 'DISABLED';
  description?: string;
  roleArn?: string;
  targets: Target[];
}

/** An archive of the events that reach a bus (optionally filtered by a pattern). */
export interface ArchiveRecord {
  name: string;
  bus: string;
  description?: string;
  eventPattern?: string;
  /** 0 keeps events forever. */
  retentionDays: number;
  state: 'ENABLED' | 'DISABLED';
  creationTime: number;
}

/** AWS's replay states. */
export type ReplayState =
  | 'STARTING'
  | 'RUNNING'
  | 'CANCELLING'
  | 'COMPLETED'
  | 'CANCELLED'
  | 'FAILED';

/** A replay of an archive's time window into a bus. */
export interface ReplayRecord {
  name: string;
  description?: string;
  archive: string;
  destinationBus: string;
  /** Rule names on the destination bus; empty means every rule. */
  filterRules: string[];
  eventStartTime: number;
  eventEndTime: number;
  state: ReplayState;
  stateReason?: string;
  eventLastReplayedTime?: number;
  replayStartTime: number;
  replayEndTime?: number;
}

/** Everything the control plane persists. */
export interface ControlState {
  buses: BusRecord[];
  rules: RuleRecord[];
  archives: ArchiveRecord[];
  replays: ReplayRecord[];
}
