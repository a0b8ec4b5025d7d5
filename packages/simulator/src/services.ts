import type { Instance, Service } from './environment.js';
import type { WindowContext } from './window.js';

/** Traffic to one of the instance's external services (with its DNS lookup). */
export function external(ctx: WindowContext, inst: Instance, count: number): void {
  const names = inst.services.filter((s) => s !== 'ssm');
  for (let k = names.length > 0 ? count : 0; k > 0; k--) service(ctx, inst, ctx.rng.pick(names), 1);
}

/** One conversation from `inst` to a named service, routed as the service requires. */
export function service(
  ctx: WindowContext,
  inst: Instance,
  key: string,
  sizeFactor: number,
): number {
  const svc = ctx.env.services.get(key);
  if (!svc) return 0;
  const { rng, vpc } = ctx;
  const t = ctx.at(30);
  let n = 0;
  if (svc.route === 'interface-endpoint') {
    const ep = vpc.endpoints.find((e) => e.azId === inst.eni.azId) ?? vpc.endpoints[0]!;
    n += ctx.lookup(
      inst,
      rng.pick(svc.hostnames),
      vpc.endpoints.map((e) => e.ip),
      t,
    );
    return (
      n +
      ctx.converse({
        client: { ip: inst.ip, eni: inst.eni },
        server: { ip: ep.ip, eni: ep },
        dport: svc.port,
        reqBytes: rng.logNormal(svc.reqBytes, 0.4),
        respBytes: rng.logNormal(svc.respBytes, 0.4),
        start: t,
        duration: rng.range(1, 20),
      })
    );
  }
  const ips = answerSet(svc, rng.u32());
  n += ctx.lookup(inst, rng.pick(svc.hostnames), ips, t);
  const ip = rng.pick(ips);
  const aws = svc.awsService === '-' ? undefined : svc.awsService;
  return (
    n +
    ctx.converse({
      client: { ip: inst.ip, eni: inst.eni },
      server: { ip, awsService: aws },
      dport: svc.port,
      protocol: svc.protocol ?? 6,
      reqBytes: rng.logNormal(svc.reqBytes * sizeFactor, 0.7),
      respBytes: rng.logNormal(svc.respBytes * sizeFactor, 0.9),
      start: t,
      via: svc.route === 'gateway-endpoint' ? 'gateway-endpoint' : 'nat',
    })
  );
}

/** Up to 8 consecutive addresses of the service's pool, as one DNS answer returns them. */
function answerSet(svc: Service, r: number): string[] {
  const k = Math.min(svc.ips.length, svc.key === 's3' ? 1 : 4);
  const from = r % svc.ips.length;
  return Array.from({ length: k }, (_, j) => svc.ips[(from + j) % svc.ips.length]!);
}
