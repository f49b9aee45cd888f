import { Transform } from 'node:stream';

export type CsvValue = string | number | bigint | Date | null;

export interface CsvColumn<T> {
  header: string;
  value(record: T): CsvValue;
}

/** Text is pushed downstream in chunks of about this size: few writes, and memory stays flat. */
const CHUNK_CHARS = 64 * 1024;

/** One field as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break, with quotes doubled. */
export function csvField(value: CsvValue): string {
  if (value === null) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/**
 * Text that people typed (memos, names), made safe to open in a spreadsheet: one starting with
 * = + - @ or a tab or carriage return would run as a formula there, so it gets a leading
 * apostrophe (OWASP's advice against CSV injection). Everything else is exported as it is.
 */
export function spreadsheetSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * Database rows in, CSV text out: the header row first, then one row per record. `toRecord` may be
 * asynchronous; each row is finished before the next is taken, and stream.pipeline carries the
 * backpressure of the slowest reader back to the database cursor.
 */
export function csvTransform<R, T>(columns: CsvColumn<T>[], toRecord: (row: R) => T | Promise<T>): Transform {
  let pending = csvRow(columns.map((column) => column.header));
  const append = (stream: Transform, record: T): void => {
    pending += csvRow(columns.map((column) => column.value(record)));
    if (pending.length >= CHUNK_CHARS) {
      stream.push(pending);
      pending = '';
    }
  };
  return new Transform({
    writableObjectMode: true,
    transform(row: R, _encoding, done) {
      try {
        const record = toRecord(row);
        if (!(record instanceof Promise)) {
          append(this, record);
          done();
          return;
        }
        record.then((resolved) => {
          append(this, resolved);
          done();
        }, done);
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done) {
      done(null, pending === '' ? undefined : pending);
    },
  });
}
