import { eventBridgeHandler } from '@lakewatch/service-kit';
import { loadConfig } from './config.js';
import { createScoreService } from './runtime.js';
import type { ScoreService } from './service.js';

// Created once per Lambda container, on the first event.
let service: Promise<ScoreService> | undefined;

/**
 * The score Lambda: an EventBridge rule target for NetworkPairsObserved and ModelPublished.
 * A failure throws, so Lambda's retries and the function's dead-letter destination apply.
 */
export const handler = eventBridgeHandler(
  ['NetworkPairsObserved', 'ModelPublished'],
  async (event) => {
    service ??= createScoreService(loadConfig());
    await (await service).handle(event);
  },
);
