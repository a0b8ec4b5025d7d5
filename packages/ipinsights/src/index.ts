// The public API of @lakewatch/ipinsights: the IP Insights model (train, score, save/load,
// evaluate, calibrate).

export { ARTIFACT_FORMAT, ARTIFACT_FORMAT_VERSION, loadModel, saveModel } from './artifact.js';
export {
  type CalibrateOptions,
  type CalibrationInput,
  type CalibrationResult,
  calibrate,
  metricsFromDots,
  thresholdForFpr,
} from './calibrate.js';
export { type PairRows, parsePairsCsv, readPairsCsv } from './csv.js';
export {
  ArtifactError,
  CalibrationError,
  HyperparameterError,
  InputError,
  IpAddressError,
  IpInsightsError,
  TrainingError,
} from './errors.js';
export {
  HYPERPARAMETER_NAMES,
  HYPERPARAMETER_SPECS,
  type HyperparameterName,
  type HyperparameterSpec,
  type Hyperparameters,
  validateHyperparameters,
} from './hyperparameters.js';
export { intToIpv4, ipv4ToInt, parseIpv4 } from './ip.js';
export {
  type EvalMetrics,
  evaluateDots,
  evaluateScores,
  operatingPoint,
  type RocCurve,
  rocAuc,
  rocCurve,
} from './metrics.js';
export { withCalibration } from './model.js';
export { histogramSvg, type ReportFiles, rocSvg, writeCalibrationReport } from './report.js';
export { DEFAULT_IP_HASH_BUCKETS, DEFAULT_IP_PREFIX_LEVELS, train } from './trainer.js';
export type {
  CalibrationMetrics,
  EncoderSettings,
  EpochReport,
  IpInsightsModel,
  PairSource,
  PairTable,
  RejectedRow,
  RocPoint,
  TrainOptions,
  TrainProgress,
  TrainReport,
} from './types.js';
