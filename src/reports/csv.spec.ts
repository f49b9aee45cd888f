import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { csvField, csvRow, csvTransform, spreadsheetSafe } from './csv.js';

describe('CSV writing', () => {
  it('quotes a field only when it holds a comma, a quote or a line break, doubling its quotes', () => {
    expect(['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\rhere', ''].map(csvField)).toEqual([
      'plain',
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
      '"cr\rhere"',
      '',
    ]);
  });

  it('writes integers exactly, instants in ISO 8601 UTC, and null as an empty field, each row ending in CRLF', () => {
    expect(csvRow([9_007_199_254_740_993n, -5n, new Date('2026-03-01T09:30:00.123Z'), null, 'x'])).toBe(
      '9007199254740993,-5,2026-03-01T09:30:00.123Z,,x\r\n',
    );
  });

  it('defuses text a spreadsheet would run as a formula, and leaves other text alone', () => {
    expect(['=1+1', '+49 30', '-5 hours', '@SUM(A1)', '\tcmd', 'plain', ' =spaced', ''].map(spreadsheetSafe)).toEqual([
      "'=1+1",
      "'+49 30",
      "'-5 hours",
      "'@SUM(A1)",
      "'\tcmd",
      'plain',
      ' =spaced',
      '',
    ]);
  });

  it('streams a header and one row per record, waiting on asynchronous records in order', async () => {
    const columns = [
      { header: 'n', value: (record: { n: number }) => record.n },
      { header: 'label', value: (record: { n: number }) => `row, ${record.n}` },
    ];
    const rows = Array.from({ length: 5000 }, (_, n) => n);
    let text = '';
    await pipeline(
      Readable.from(rows),
      csvTransform(columns, (n: number) => (n % 2 ? Promise.resolve({ n }) : { n })),
      async (chunks: AsyncIterable<string>) => {
        for await (const chunk of chunks) text += chunk;
      },
    );
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('n,label');
    expect(lines.slice(1, -1)).toEqual(rows.map((n) => `${n},"row, ${n}"`));
    expect(lines.at(-1)).toBe('');
  });

  it('ends with just the header when there are no rows, and passes a failing record on as an error', async () => {
    const columns = [{ header: 'n', value: (record: number) => record }];
    let text = '';
    await pipeline(
      Readable.from([]),
      csvTransform(columns, (n: number) => n),
      async (chunks: AsyncIterable<string>) => {
        for await (const chunk of chunks) text += chunk;
      },
    );
    expect(text).toBe('n\r\n');
    const failing = pipeline(
      Readable.from([1]),
      csvTransform(columns, () => Promise.reject(new Error('no such account'))),
      async (chunks: AsyncIterable<string>) => {
        for await (const _chunk of chunks) text += '';
      },
    );
    await expect(failing).rejects.toThrow('no such account');
  });
});
