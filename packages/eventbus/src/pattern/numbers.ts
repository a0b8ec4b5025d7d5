/**
 * Numbers as EventBridge compares them: numeric matching works on JSON numbers between
 * -5.0e9 and +5.0e9 inclusive, with at most six digits after the decimal point.
 */
export const NUMBER_LIMIT = 5e9;
const MAX_DECIMALS = 6;

/** Whether an event number takes part in numeric comparisons. */
export function isComparable(n: number): boolean {
  return n >= -NUMBER_LIMIT && n <= NUMBER_LIMIT;
}

function decimals(n: number): number {
  const text = String(n);
  const e = text.indexOf('e');
  const mantissa = e < 0 ? text : text.slice(0, e);
  const exponent = e < 0 ? 0 : Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const fraction = dot < 0 ? 0 : mantissa.length - dot - 1;
  return Math.max(0, fraction - exponent);
}

/** Checks a number written in a pattern's numeric or anything-but expression, throwing AWS's reason. */
export function checkPatternNumber(n: number): number {
  if (decimals(n) > MAX_DECIMALS)
    throw new Error(`Only values upto 6 decimals are supported: ${n}`);
  if (!isComparable(n)) throw new Error('Value must be between -5.0E9 and 5.0E9, inclusive');
  return n;
}
