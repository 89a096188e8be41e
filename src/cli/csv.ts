// Reading a data file: csv-parse does the parsing (quotes, BOM, CRLF); this
// file checks the shape — a header row, unique names, the same number of
// fields on every line — and turns cells into numbers with messages that name
// the file, the line and the column.

import { readFile } from 'node:fs/promises';
import { CsvError, parse } from 'csv-parse/sync';
import { DataError, fileError } from './errors.js';

export interface Table {
  path: string;
  columns: string[];
  rows: string[][];
  /** The file line each row ends on (1-based), for messages. */
  lines: number[];
}

export async function readCsv(path: string): Promise<Table> {
  let text: string;
  try {
    const bytes = await readFile(path);
    // A model file or an image is not a CSV: say so rather than parse noise.
    if (bytes.includes(0)) throw new DataError(`${path}: expected a CSV text file, got binary data (it contains NUL bytes)`);
    text = bytes.toString('utf8');
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw fileError('read', path, e);
  }
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, trim: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (e) {
    throw csvError(path, e);
  }
  if (records.length === 0) throw new DataError(`${path}: expected a header row and data rows, got an empty file`);
  const columns = records[0].record;
  columns.forEach((name, i) => {
    if (name === '') throw new DataError(`${path}: line 1: expected a name for every column in the header, got an empty name for column ${i + 1}`);
    const first = columns.indexOf(name);
    if (first !== i) throw new DataError(`${path}: line 1: expected unique column names, got ${JSON.stringify(name)} twice (columns ${first + 1} and ${i + 1})`);
  });
  if (records.length === 1) throw new DataError(`${path}: expected data rows after the header, got none`);
  return { path, columns, rows: records.slice(1).map((r) => r.record), lines: records.slice(1).map((r) => r.info.lines) };
}

function csvError(path: string, e: unknown): DataError {
  if (!(e instanceof CsvError)) return new DataError(`${path}: unreadable CSV: ${(e as Error).message}`);
  const { code, lines } = e as CsvError & { lines?: number };
  const match = /expect (\d+), got (\d+)/.exec(e.message);
  if (code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && match) {
    return new DataError(`${path}: line ${lines}: expected ${match[1]} fields as in the header, got ${match[2]}`);
  }
  return new DataError(`${path}: malformed CSV: ${e.message}`);
}

/** The index of column `name`, or an error listing the columns there are. */
export function columnIndex(table: Table, name: string, what: string): number {
  const i = table.columns.indexOf(name);
  if (i < 0) throw new DataError(`${table.path}: no ${what} column ${JSON.stringify(name)}; the columns are ${listNames(table.columns)}`);
  return i;
}

export function listNames(names: readonly string[], max = 12): string {
  const shown = names.slice(0, max).map((n) => JSON.stringify(n)).join(', ');
  return names.length > max ? `${shown}, … (${names.length} in all)` : shown;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A decimal number, or NaN for anything else (empty cells, "NaN", "Infinity", hex, "1,5"). */
export function parseDecimal(cell: string): number {
  return DECIMAL.test(cell) ? Number(cell) : NaN;
}

/** Cell (row, col) as a finite number, or an error naming the line and the column. */
export function numberAt(table: Table, row: number, col: number): number {
  const cell = table.rows[row][col];
  const v = parseDecimal(cell);
  if (Number.isFinite(v)) return v;
  const where = `${table.path}: line ${table.lines[row]}, column ${JSON.stringify(table.columns[col])}`;
  if (cell === '') throw new DataError(`${where}: expected a number, got an empty cell`);
  if (!Number.isNaN(v)) throw new DataError(`${where}: expected a finite number, got ${cell}, which overflows to ${v}`);
  if (/^[+-]?(nan|inf(inity)?)$/i.test(cell)) throw new DataError(`${where}: expected a finite number, got ${JSON.stringify(cell)}`);
  throw new DataError(`${where}: expected a number, got ${JSON.stringify(cell.length > 40 ? cell.slice(0, 40) + '…' : cell)}`);
}

/** The columns `cols` of every row as a row-major Float64Array. */
export function numericColumns(table: Table, cols: readonly number[]): Float64Array {
  const p = cols.length;
  const out = new Float64Array(table.rows.length * p);
  for (let r = 0; r < table.rows.length; r++) {
    for (let c = 0; c < p; c++) out[r * p + c] = numberAt(table, r, cols[c]);
  }
  return out;
}

/** The indices of the columns a model was trained on, by name; missing ones are named. */
export function featureIndices(table: Table, names: readonly string[]): number[] {
  const missing = names.filter((n) => !table.columns.includes(n));
  if (missing.length > 0) {
    const s = missing.length > 1 ? 's' : '';
    throw new DataError(`${table.path}: missing feature column${s} ${listNames(missing)} that the model was trained on; the file has ${listNames(table.columns)}`);
  }
  return names.map((n) => table.columns.indexOf(n));
}
