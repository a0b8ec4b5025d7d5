import { setTimeout as sleep } from 'node:timers/promises';
import { StackError } from './errors.js';

/** GETs a URL with a short timeout; the JSON body, or undefined when it did not answer 200. */
export async function getJson(url: string, timeoutMs = 2000): Promise<unknown> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 200) {
      await res.body?.cancel();
      return undefined;
    }
    const text = await res.text();
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  } catch {
    return undefined;
  }
}

/** Waits until `url` answers 200; fails naming the service after `timeoutMs`. */
export async function waitHealthy(name: string, url: string, timeoutMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const body = await getJson(url);
    if (body !== undefined) return body;
    if (Date.now() > deadline)
      throw new StackError(`${name} is not healthy: ${url} did not answer 200 in ${timeoutMs} ms`);
    await sleep(100);
  }
}
