// The Lambda entry: the Security Lake subscriber's SQS messages, with partial batch failures.
import { createLogger } from '@lakewatch/service-kit';
import { readConfig } from './config.js';
import { IngestService } from './service.js';
import { createLambdaHandler } from './triggers-handlers.js';

const config = readConfig();
const logger = createLogger('ingest', { level: config.logLevel });

/**
 * The ingest function's handler: an SQS event source (with ReportBatchItemFailures) or an
 * EventBridge rule delivering S3 `Object Created` events.
 */
export const handler = createLambdaHandler(IngestService.fromConfig(config, logger), logger);
