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

const followedByColon = (template: string, at: number): boolean =>
  /^\s*:/.test(template.slice(at, at + 64));

/**
 * Finds the placeholders of a template, noting which sit inside JSON strings and which stand
 * as (or inside) an object key.
 */
export function scanTemplate(template: string): Slot[] {
  const slots: Slot[] = [];
  let inString = false;
  let stringSlots: Slot[] = [];
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (inString && ch === '\\') {
      i++;
      continue;
    }
    if (ch === '"') {
      if (inString && followedByColon(template, i + 1)) {
        for (const slot of stringSlots) slot.isKey = true;
      }
      inString = !inString;
      stringSlots = [];
      continue;
    }
    if (ch !== '<') continue;
    PLACEHOLDER.lastIndex = i;
    const m = PLACEHOLDER.exec(template);
    if (m === null) continue;
    const end = i + m[0].length;
    const slot: Slot = {
      start: i,
      end,
      name: m[1] as string,
      inString,
      isKey: !inString && followedByColon(template, end),
    };
    slots.push(slot);
    if (inString) stringSlots.push(slot);
    i = end - 1;
  }
  return slots;
}

export const isJsonTemplate = (template: string): boolean => /^\s*[{[]/.test(template);
