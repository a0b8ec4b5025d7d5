import type { DeadLetter } from '../dead-letters.js';
import { validationError } from '../errors.js';
import { paginate, str } from '../validate.js';
import type { Operations, OperationsFactory } from './types.js';

/** The `X-Amz-Target` prefix of the local bus's own operations (dead letters). */
export const LOCAL_TARGET_PREFIX = 'LakewatchLocalBus';

function selected(all: DeadLetter[], input: Record<string, unknown>): DeadLetter[] {
  const ids = input.Ids;
  if (ids !== undefined && !Array.isArray(ids))
    throw validationError('Parameter Ids must be a list of dead-letter ids');
  const want = ids ? new Set(ids as string[]) : undefined;
  const bus = str(input, 'EventBusName');
  const rule = str(input, 'RuleName');
  const target = str(input, 'TargetId');
  return all.filter(
    (d) =>
      (!want || want.has(d.Id)) &&
      (!bus || d.EventBusName === bus) &&
      (!rule || d.RuleName === rule) &&
      (!target || d.TargetId === target),
  );
}

/** ListDeadLetters, RedriveDeadLetters, DeleteDeadLetters (`LakewatchLocalBus.<Op>`). */
export const deadLetterOperations: OperationsFactory = (engine): Operations => ({
  ListDeadLetters(input) {
    const { page, nextToken } = paginate(selected(engine.deadLetters.list(), input), input);
    return { DeadLetters: page, NextToken: nextToken };
  },

  async RedriveDeadLetters(input) {
    if (input.Ids === undefined && input.All !== true)
      throw validationError('Give Ids, or All: true to re-drive every (filtered) dead letter');
    const redriven: { Id: string; EventId: string }[] = [];
    const failed: { Id: string; ErrorMessage: string }[] = [];
    const list = selected(engine.deadLetters.list(), input);
    for (const id of (input.Ids ?? []) as string[])
      if (!engine.deadLetters.get(id))
        failed.push({ Id: id, ErrorMessage: `Dead letter ${id} does not exist.` });
    for (const d of list) {
      if (!engine.target(d.EventBusName, d.RuleName, d.TargetId)) {
        failed.push({
          Id: d.Id,
          ErrorMessage: `Target ${d.TargetId} of rule ${d.RuleName} on event bus ${d.EventBusName} no longer exists.`,
        });
        continue;
      }
      await engine.publish([
        {
          bus: d.EventBusName,
          event: d.Event,
          tasks: [[d.RuleName, d.TargetId]],
          archive: false,
          deadLetterId: d.Id,
        },
      ]);
      await engine.deadLetters.remove(d.Id);
      redriven.push({ Id: d.Id, EventId: d.Event.id });
    }
    return { Redriven: redriven, Failed: failed };
  },

  async DeleteDeadLetters(input) {
    if (!Array.isArray(input.Ids))
      throw validationError('Parameter Ids must be a list of dead-letter ids');
    const gone: string[] = [];
    for (const d of selected(engine.deadLetters.list(), input)) {
      await engine.deadLetters.remove(d.Id);
      gone.push(d.Id);
    }
    return { Deleted: gone };
  },
});
