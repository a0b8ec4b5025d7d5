import type { Engine } from './engine.js';
import { RoutingFileError } from './errors.js';
import { compileEventPattern } from './matching.js';
import type { Target } from './model.js';
import { isExtensionField, type RoutingFile, serviceArn } from './routing-file.js';

/**
 * Creates or updates what a routing file names: buses, rules (pattern, state, and the
 * file's targets replacing the rule's), archives. Other resources are left alone.
 */
export function applyRouting(engine: Engine, file: RoutingFile): void {
  const { account, region } = engine.account;
  const urls = engine.options.targetUrls;
  Object.assign(urls, file.Endpoints);
  for (const [service, url] of Object.entries(file.Services))
    urls[serviceArn(region, account, service)] = url;
  const now = Date.now();
  for (const b of file.EventBuses) {
    const bus = engine.buses.get(b.Name);
    if (!bus)
      engine.buses.set(b.Name, {
        name: b.Name,
        ...(b.Description ? { description: b.Description } : {}),
        creationTime: now,
        lastModifiedTime: now,
      });
    for (const r of b.Rules) {
      const targets: Target[] = r.Targets.map(({ Service, Url, Arn, ...rest }) => ({
        ...(Object.fromEntries(Object.entries(rest).filter(([k]) => !isExtensionField(k))) as Omit<
          Target,
          'Arn'
        >),
        Arn: Service ? serviceArn(region, account, Service) : (Url ?? Arn ?? ''),
      }));
      engine.putRule({
        name: r.Name,
        bus: b.Name,
        eventPattern: r.EventPattern,
        state: r.State ?? 'ENABLED',
        ...(r.Description ? { description: r.Description } : {}),
        targets,
        matcher: compileEventPattern(r.EventPattern),
      });
    }
    for (const a of b.Archives) {
      const old = engine.archives.get(a.Name);
      if (old && old.bus !== b.Name)
        throw new RoutingFileError(
          `archive ${a.Name}`,
          `already exists on event bus ${old.bus}, not ${b.Name}`,
        );
      const record = {
        name: a.Name,
        bus: b.Name,
        ...(a.Description ? { description: a.Description } : {}),
        ...(a.EventPattern ? { eventPattern: a.EventPattern } : {}),
        retentionDays: a.RetentionDays,
        state: 'ENABLED' as const,
        creationTime: old?.creationTime ?? now,
      };
      if (old) {
        const { file: f } = old;
        engine.archives.set(a.Name, {
          ...record,
          file: f,
          ...(a.EventPattern ? { matcher: compileEventPattern(a.EventPattern) } : {}),
        });
      } else engine.addArchive(record);
    }
  }
  engine.persist();
}
