import { InvalidEventPatternError } from '../errors.js';

/**
 * A small strict JSON reader for pattern text. `JSON.parse` would do, but EventBridge reports
 * malformed pattern text with the messages of its Java JSON parser (Jackson), and callers of
 * `TestEventPattern` / `PutRule` see those words; this reader produces the same first line.
 */
export function parsePatternText(text: string): unknown {
  const reader = new Reader(text);
  reader.skipSpace();
  if (reader.peek() !== '{') {
    throw new InvalidEventPatternError('Filter is not an object');
  }
  return reader.value();
}

const EXPECTED_VALUE =
  "was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

function describe(ch: string): string {
  return `'${ch}' (code ${ch.codePointAt(0)})`;
}

class Reader {
  private pos = 0;
  constructor(private readonly text: string) {}

  peek(): string | undefined {
    return this.text[this.pos];
  }

  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
    if (t[this.pos] === '/') {
      this.fail(
        "Unexpected character ('/' (code 47)): maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' not enabled for parser)",
      );
    }
  }

  private fail(reason: string): never {
    throw new InvalidEventPatternError(reason);
  }

  value(): unknown {
    this.skipSpace();
    const ch = this.peek();
    if (ch === undefined) this.fail('Unexpected end-of-input: expected a value');
    if (ch === '{') return this.object();
    if (ch === '[') return this.array();
    if (ch === '"') return this.string();
    if (ch === '-' || (ch >= '0' && ch <= '9')) return this.number();
    const token = this.token();
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (token === 'null') return null;
    if (token === '') {
      this.fail(
        `Unexpected character (${describe(ch)}): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`,
      );
    }
    return this.fail(`Unrecognized token '${token}': ${EXPECTED_VALUE}`);
  }

  /** Reads an unquoted token as Jackson does when it reports one: identifier characters. */
  private token(): string {
    const start = this.pos;
    while (this.pos < this.text.length && /[\p{L}\p{N}_$]/u.test(this.text[this.pos] ?? '')) {
      this.pos++;
    }
    return this.text.slice(start, this.pos);
  }

  private object(): Record<string, unknown> {
    this.pos++; // {
    const result: Record<string, unknown> = Object.create(null);
    this.skipSpace();
    if (this.peek() === '}') {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipSpace();
      const ch = this.peek();
      if (ch === undefined) this.fail('Unexpected end-of-input: expected close marker for Object');
      if (ch !== '"') {
        this.fail(
          `Unexpected character (${describe(ch)}): was expecting double-quote to start field name`,
        );
      }
      const key = this.string();
      this.skipSpace();
      const colon = this.peek();
      if (colon === undefined)
        this.fail('Unexpected end-of-input: expected close marker for Object');
      if (colon !== ':') {
        this.fail(
          `Unexpected character (${describe(colon)}): was expecting a colon to separate field name and value`,
        );
      }
      this.pos++;
      result[key] = this.value();
      this.skipSpace();
      const next = this.peek();
      if (next === ',') {
        this.pos++;
        continue;
      }
      if (next === '}') {
        this.pos++;
        return result;
      }
      if (next === undefined)
        this.fail('Unexpected end-of-input: expected close marker for Object');
      this.fail(
        `Unexpected character (${describe(next)}): was expecting comma to separate Object entries`,
      );
    }
  }

  private array(): unknown[] {
    this.pos++; // [
    const result: unknown[] = [];
    this.skipSpace();
    if (this.peek() === ']') {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.value());
      this.skipSpace();
      const next = this.peek();
      if (next === ',') {
        this.pos++;
        continue;
      }
      if (next === ']') {
        this.pos++;
        return result;
      }
      if (next === undefined) this.fail('Unexpected end-of-input: expected close marker for Array');
      this.fail(
        `Unexpected character (${describe(next)}): was expecting comma to separate Array entries`,
      );
    }
  }

  private string(): string {
    const t = this.text;
    const start = this.pos;
    this.pos++; // opening quote
    let simple = true;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x22) {
        this.pos++;
        const raw = t.slice(start, this.pos);
        return simple ? raw.slice(1, -1) : (JSON.parse(raw) as string);
      }
      if (c === 0x5c) {
        simple = false;
        const esc = t[this.pos + 1];
        if (esc === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(t.slice(this.pos + 2, this.pos + 6))) {
            this.fail(
              'Unexpected character in Unicode escape: was expecting a hex-digit for character escape sequence',
            );
          }
          this.pos += 6;
          continue;
        }
        if (esc === undefined || !'"\\/bfnrt'.includes(esc)) {
          this.fail(`Unrecognized character escape ${esc === undefined ? 'EOF' : describe(esc)}`);
        }
        this.pos += 2;
        continue;
      }
      if (c < 0x20) {
        this.fail(
          `Illegal unquoted character ((CTRL-CHAR, code ${c})): has to be escaped using backslash to be included in string value`,
        );
      }
      this.pos++;
    }
    return this.fail('Unexpected end-of-input: was expecting closing quote for a string value');
  }

  private number(): number {
    const rest = this.text.slice(this.pos);
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(rest);
    if (!m || m[0] === '-') {
      return this.fail(`Invalid numeric value: ${rest.slice(0, 20)}`);
    }
    const after = rest[m[0].length];
    if (after !== undefined && /[0-9]/.test(after)) {
      this.fail('Invalid numeric value: Leading zeroes not allowed');
    }
    this.pos += m[0].length;
    return Number(m[0]);
  }
}
