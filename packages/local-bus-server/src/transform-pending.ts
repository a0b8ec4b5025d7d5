// TEMPORARY until @lakewatch/eventbus exports transformInput (issue 5 part 1): whole event or constant Input only.
export interface TargetInput {
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
}
export function validateTargetInput(target: TargetInput): void {
  if (target.InputPath !== undefined || target.InputTransformer !== undefined)
    throw new Error('InputPath and InputTransformer wait for @lakewatch/eventbus transformInput');
}
export function transformInput(target: TargetInput, event: object, _context?: object): string {
  return target.Input ?? JSON.stringify(event);
}
