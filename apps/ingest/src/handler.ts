// The Lambda entry: the Security Lake subscriber's SQS messages, with partial batch failures.
import { createLogger } from '@lakewatch/service-kit';
import { readConfig } from './config.js';
import { IngestService } from './service.js';
import { createSqsHandler } from './triggers-handlers.js';

const config = readConfig();
const logger = createLogger('ingest', { level: config.logLevel });

/** `index.handler` of the ingest function (SQS event source with ReportBatchItemFailures). */
export const handler = createSqsHandler(IngestService.fromConfig(config, logger), logger);
