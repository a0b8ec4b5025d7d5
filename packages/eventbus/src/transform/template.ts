/** Placeholders EventBridge fills itself; an InputPathsMap may not define them. */
export const PREDEFINED = new Set([
  'aws.events.rule-arn',
  'aws.events.rule-name',
  'aws.events.event',
  'aws.events.event.ingestion-time',
  'aws.events.event.json',
]);

const PLACEHOLDER = /<([A-Za-z0-9_.-]+)>/y;

/** One placeholder occurrence in a template. */
export interface Slot {
  start: number;
  end: number;
  name: string;
  inString: boolean;
  isKey: boolean;
}

/** Finds the placeholders of a template, noting which sit inside JSON strings. */
export function scanTemplate(template: string): Slot[] {
  const slots: Slot[] = [];
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (inString && ch === '\\') {
      i++;
      continue;
    }
    if (ch === '"') {
      inString = !inString;
      continue;
    }
    if (ch !== '<') continue;
    PLACEHOLDER.lastIndex = i;
    const m = PLACEHOLDER.exec(template);
    if (m === null) continue;
    const end = i + m[0].length;
    const isKey = !inString && /^\s*:/.test(template.slice(end, end + 64));
    slots.push({ start: i, end, name: m[1] as string, inString, isKey });
    i = end - 1;
  }
  return slots;
}

export const isJsonTemplate = (template: string): boolean => /^\s*[{[]/.test(template);
