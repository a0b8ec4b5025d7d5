import type { Engine, Publication } from './engine.js';
import type { ReplayRecord } from './model.js';

const BATCH = 100;

/**
 * Runs a replay: STARTING → RUNNING → COMPLETED (or CANCELLED when CancelReplay set
 * CANCELLING, FAILED on an error). Events of the archive whose `time` falls in the window
 * are published again to the destination bus with `replay-name` set, only to the chosen
 * rules, and never archived again.
 */
// CancelReplay changes the state while the replay awaits; read it through this.
const cancelling = (r: ReplayRecord): boolean => r.state === 'CANCELLING';

export async function runReplay(engine: Engine, replay: ReplayRecord): Promise<void> {
  const archive = engine.archives.get(replay.archive);
  try {
    if (replay.state === 'CANCELLING') return finish(engine, replay, 'CANCELLED');
    replay.state = 'RUNNING';
    engine.persist();
    if (!archive) throw new Error(`archive ${replay.archive} no longer exists`);
    const only = replay.filterRules.length > 0 ? new Set(replay.filterRules) : undefined;
    const events = (await archive.file.read()).filter((a) => {
      const t = Date.parse(a.e.time);
      return (
        a.at <= replay.replayStartTime && t >= replay.eventStartTime && t <= replay.eventEndTime
      );
    });
    for (let i = 0; i < events.length; i += BATCH) {
      if (cancelling(replay)) return finish(engine, replay, 'CANCELLED');
      const batch: Publication[] = events.slice(i, i + BATCH).map((a) => {
        const event = { ...a.e, 'replay-name': replay.name };
        return {
          bus: replay.destinationBus,
          event,
          tasks: engine.matchTasks(replay.destinationBus, event, only),
          archive: false,
        };
      });
      await engine.publish(batch);
      const last = events[Math.min(i + BATCH, events.length) - 1];
      if (last) replay.eventLastReplayedTime = Date.parse(last.e.time);
    }
    finish(engine, replay, cancelling(replay) ? 'CANCELLED' : 'COMPLETED');
  } catch (e) {
    finish(engine, replay, 'FAILED', (e as Error).message);
  }
}

function finish(
  engine: Engine,
  replay: ReplayRecord,
  state: 'COMPLETED' | 'CANCELLED' | 'FAILED',
  reason?: string,
): void {
  replay.state = state;
  if (reason) replay.stateReason = reason;
  replay.replayEndTime = Date.now();
  engine.persist();
}
