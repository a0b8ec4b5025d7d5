import { eventBridgeHandler } from '@lakewatch/service-kit';
import { loadConfig } from './config.js';
import { createEnrichService } from './runtime.js';
import type { EnrichService } from './service.js';

// Created once per Lambda container, on the first event.
let service: Promise<EnrichService> | undefined;

/** The enrich Lambda: an EventBridge rule target for AnomalyDetected. */
export const handler = eventBridgeHandler(['AnomalyDetected'], async (event) => {
  service ??= createEnrichService(loadConfig());
  await (await service).handle(event);
});
