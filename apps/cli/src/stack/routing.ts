import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRoutingFile } from '@lakewatch/local-bus-server';
import { StackError } from './errors.js';

/** The routing file as JSON (only the parts the stack rewrites are typed). */
export interface RoutingJson {
  Services: Record<string, string>;
  EventBuses: { Name: string; Rules: RuleJson[] }[];
  [key: string]: unknown;
}

/** One rule of a routing file. */
export interface RuleJson {
  Name: string;
  Targets: { Id: string; Service?: string; InputTransformer?: { InputTemplate: string } }[];
  [key: string]: unknown;
}

/** Reads and validates a routing file (the local bus's own validator). */
export function readRouting(path: string): RoutingJson {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new StackError(`routing file ${path}: ${(cause as Error).message}`, { cause });
  }
  try {
    parseRoutingFile(json);
  } catch (cause) {
    throw new StackError(`routing file ${path}: ${(cause as Error).message}`, { cause });
  }
  return json as RoutingJson;
}

/**
 * The routing file with each service's URL replaced by where it really listens (the path of
 * the file's URL kept: `/events`, `/routed`), and `extraRules` added to the first bus.
 */
export function deriveRouting(
  routing: RoutingJson,
  urls: Readonly<Record<string, string>>,
  extraRules: readonly RuleJson[] = [],
): RoutingJson {
  const services: Record<string, string> = {};
  for (const [name, url] of Object.entries(routing.Services)) {
    const real = urls[name];
    if (!real) {
      services[name] = url;
      continue;
    }
    services[name] = new URL(new URL(url).pathname, real).href;
  }
  const buses = routing.EventBuses.map((bus, i) =>
    i === 0 ? { ...bus, Rules: [...bus.Rules, ...extraRules] } : bus,
  );
  const derived = { ...routing, Services: services, EventBuses: buses };
  parseRoutingFile(derived);
  return derived;
}

/** The notify target ids the routing file's notify rules name (from their InputTemplate). */
export function notifyTargetIds(routing: RoutingJson): string[] {
  const ids = new Set<string>();
  for (const bus of routing.EventBuses)
    for (const rule of bus.Rules)
      for (const target of rule.Targets) {
        const template = target.InputTransformer?.InputTemplate;
        if (target.Service !== 'notify' || !template) continue;
        try {
          const input = JSON.parse(
            template.replace(/<aws\.events\.event\.json>/g, 'null').replace(/<[\w.-]+>/g, 'x'),
          ) as { targets?: unknown };
          if (Array.isArray(input.targets))
            for (const id of input.targets) if (typeof id === 'string') ids.add(id);
        } catch {
          // not a notify-shaped template: nothing to configure
        }
      }
  return [...ids].sort();
}

/**
 * A notify config for one machine: every target the routing names is a JSON-lines file
 * `<dir>/<id>.jsonl`, with no rate limit worth the name (files are local and cheap).
 */
export function localNotifyConfig(ids: readonly string[], dir: string): unknown {
  return {
    defaults: { ratePerMinute: 60_000, burst: 10_000, maxAttempts: 3, backoffBaseMs: 100 },
    targets: Object.fromEntries(
      ids.map((id) => [id, { kind: 'file', path: join(dir, `${id}.jsonl`) }]),
    ),
  };
}
