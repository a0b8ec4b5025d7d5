import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cefMessage,
  escapeCefHeader,
  escapeCefValue,
  escapeMrkdwn,
  octetCount,
  summarize,
  syslogFrame,
} from '../src/index.js';
import { finding } from './helpers.js';

/** Undoes CEF extension escaping (the parser side of the spec). */
function unescapeCefValue(s: string): string {
  return s.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

/** Splits a CEF extension into key/value pairs the way a CEF parser does. */
function parseExtension(ext: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /(?:^| )([A-Za-z0-9]+)=((?:\\.|[^\\=])*?)(?= [A-Za-z0-9]+=|$)/g;
  for (const m of ext.matchAll(re)) out[m[1] as string] = unescapeCefValue(m[2] as string);
  return out;
}

describe('Function: CEF escaping', () => {
  it('header fields never contain an unescaped pipe or a line break', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const e = escapeCefHeader(s);
        expect(e).not.toMatch(/[\r\n]/);
        expect(e.replace(/\\\\/g, '').replace(/\\\|/g, '')).not.toContain('|');
      }),
    );
  });

  it('extension values round-trip through a CEF parser, whatever they contain', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        const ext = `cs1=${escapeCefValue(a)} cs2=${escapeCefValue(b)}`;
        expect(ext).not.toMatch(/[\r\n]/);
        expect(parseExtension(ext)).toEqual({ cs1: a, cs2: b });
      }),
    );
  });

  it('a hostile finding gives a message with seven header fields and its values intact', () => {
    // Prepare
    const f = finding({ tags: ['a=b', 'c\\d', 'x|y', 'line\nbreak'] });
    f.finding = {
      ...f.finding,
      finding_info: { ...f.finding.finding_info, title: 'evil|title\\ with\nnewline' },
    };
    // Act
    const msg = cefMessage(summarize(f), 'route=x');
    // Assess
    // the header is the first seven fields (pipes escaped inside them); the extension may contain pipes
    const fields: string[] = [];
    let rest = msg;
    for (let i = 0; i < 7; i++) {
      const m = /^((?:\\.|[^\\|])*)\|/.exec(rest);
      if (!m) break;
      fields.push(m[1] as string);
      rest = rest.slice(m[0].length);
    }
    fields.push(rest);
    expect(fields).toHaveLength(8);
    expect(fields[5]).toBe('evil\\|title\\\\ with newline');
    const ext = parseExtension(fields[7] ?? '');
    expect(ext.cs3).toBe('a=b,c\\d,x|y,line\nbreak');
    expect(ext.cs1).toBe('route=x');
    expect(ext.src).toBe(f.ip);
  });
});

describe('Function: syslog framing', () => {
  it('RFC 5424 header tokens are printable ASCII without spaces; frames are one line', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (host, msg) => {
        const frame = syslogFrame(msg, {
          format: 'rfc5424',
          hostname: host,
          time: new Date(0),
          level: 'high',
        });
        expect(frame).not.toMatch(/[\r\n]/);
        const parts = frame.split(' ');
        expect(parts[0]).toBe('<83>1');
        expect(parts[2]).toMatch(/^[\x21-\x7e]+$/);
      }),
    );
  });

  it('octet counting counts bytes, not characters', () => {
    expect(octetCount('é')).toBe('2 é');
  });
});

describe('Function: escapeMrkdwn', () => {
  it('leaves no <, > or bare & in any text', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const e = escapeMrkdwn(s);
        expect(e).not.toMatch(/[<>]/);
        expect(e.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
        expect(e.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')).toBe(s);
      }),
    );
  });
});
