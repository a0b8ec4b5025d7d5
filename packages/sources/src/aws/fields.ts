/** Read access to the columns of one VPC flow record, whatever form it came in. */
export interface FieldSource {
  /** The column's text. */
  text(column: number): string;
  /** True when the column holds no value: `-` or empty. */
  none(column: number): boolean;
  /** The column as a non-negative whole number, or NaN when it is not one. */
  uint(column: number): number;
}

/** Columns of an already split record (JSON / Parquet rows). */
export class ArrayFields implements FieldSource {
  constructor(private readonly parts: readonly string[]) {}
  text(column: number): string {
    return this.parts[column] ?? '';
  }
  none(column: number): boolean {
    const v = this.parts[column];
    return v === undefined || v === '-' || v === '';
  }
  uint(column: number): number {
    const n = Number(this.parts[column]);
    return Number.isInteger(n) && n >= 0 ? n : Number.NaN;
  }
}

/**
 * Columns of one space-separated line, found by scanning once into reused typed arrays: no
 * array of substrings per line, numbers read straight from the character codes, and only
 * the text columns a record keeps are cut out of the line.
 */
export class LineFields implements FieldSource {
  private line = '';
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  /** Number of columns of the current line. */
  count = 0;

  /** Scans `line`; returns its number of space-separated columns. */
  scan(line: string): number {
    this.line = line;
    let n = 0;
    let start = 0;
    const len = line.length;
    for (let i = 0; i <= len; i++) {
      if (i === len || line.charCodeAt(i) === 32) {
        if (n === this.starts.length) this.grow();
        this.starts[n] = start;
        this.ends[n] = i;
        n++;
        start = i + 1;
      }
    }
    this.count = n;
    return n;
  }

  private grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.ends.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }

  text(column: number): string {
    return this.line.substring(this.starts[column]!, this.ends[column]!);
  }

  none(column: number): boolean {
    const s = this.starts[column]!;
    const e = this.ends[column]!;
    return e === s || (e === s + 1 && this.line.charCodeAt(s) === 45);
  }

  uint(column: number): number {
    const s = this.starts[column]!;
    const e = this.ends[column]!;
    if (e === s || e - s > 15) return e === s ? Number.NaN : slowUint(this.line.substring(s, e));
    let n = 0;
    for (let i = s; i < e; i++) {
      const d = this.line.charCodeAt(i) - 48;
      if (d < 0 || d > 9) return Number.NaN;
      n = n * 10 + d;
    }
    return n;
  }
}

function slowUint(text: string): number {
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 ? n : Number.NaN;
}
