import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `check` every `everyMs` until it returns a value other than undefined/false; fails
 * naming `what` (and the last `state` it reported) after `timeoutMs`.
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeoutMs: number; everyMs?: number; state?: () => string } = { timeoutMs: 30_000 },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${options.timeoutMs} ms waiting for ${what}${options.state ? ` (${options.state()})` : ''}`,
      );
    await sleep(options.everyMs ?? 50);
  }
}
