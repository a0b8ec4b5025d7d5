/** One contract: the schema of a detail type's major version, as generated from `contracts/events`. */
export interface ContractDefinition<
  S extends string = string,
  D extends string = string,
  M extends number = number,
> {
  /** EventBridge `source`, e.g. `lakewatch.score`. */
  readonly source: S;
  /** EventBridge `detail-type`, e.g. `AnomalyDetected`. */
  readonly detailType: D;
  /** Major version: a breaking change is a new major. */
  readonly major: M;
  /** Current `major.minor`; producers write it as `detail.schemaVersion`. */
  readonly version: string;
  /** The JSON Schema (draft-07) of `detail`. */
  readonly schema: Readonly<Record<string, unknown>>;
}
