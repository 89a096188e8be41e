// Command-line arguments: node:util parseArgs in strict mode, with its errors
// turned into one-line usage messages, and the typed readers of option values.

import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './errors.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | undefined>;

export interface Parsed {
  values: Values;
  positionals: string[];
  help: boolean;
}

/** Parse `args` for `command`; `operands` names the positional arguments it takes, in order. */
export function parseCommand(command: string, args: string[], options: OptionSpec, operands: string[]): Parsed {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (e) {
    throw new UsageError(`${command}: ${describeParseError(e)} (see simdnet ${command} --help)`);
  }
  const help = parsed.values.help === true;
  if (!help) {
    const { positionals } = parsed;
    if (positionals.length < operands.length) {
      throw new UsageError(`${command}: expected ${operands.join(' ')}, got no ${operands[positionals.length]} (see simdnet ${command} --help)`);
    }
    if (positionals.length > operands.length) {
      throw new UsageError(`${command}: unexpected argument ${JSON.stringify(positionals[operands.length])} (see simdnet ${command} --help)`);
    }
  }
  return { values: parsed.values, positionals: parsed.positionals, help };
}

function describeParseError(e: unknown): string {
  const { code, message } = e as { code?: string; message: string };
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(message)?.[1];
    return `unknown option ${option ?? message}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /'(--?[\w-]+)/.exec(message)?.[1];
    if (/ambiguous/.test(message)) return `option ${option} needs a value; write a value that starts with '-' as ${option}=VALUE`;
    if (/does not take an argument/.test(message)) return `option ${option} takes no value`;
    return `option ${option ?? ''} needs a value`;
  }
  return message;
}

export function stringOption(values: Values, name: string, fallback: string): string {
  const v = values[name];
  return typeof v === 'string' ? v : fallback;
}

export function choiceOption<T extends string>(values: Values, name: string, choices: readonly T[], fallback: T): T {
  const v = stringOption(values, name, fallback);
  if (!(choices as readonly string[]).includes(v)) throw new UsageError(`--${name}: expected one of ${choices.join(', ')}, got ${JSON.stringify(v)}`);
  return v as T;
}

export function intOption(values: Values, name: string, fallback: number, min: number): number {
  const raw = values[name];
  if (typeof raw !== 'string') return fallback;
  const v = /^[+-]?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(v) || v < min) throw new UsageError(`--${name}: expected an integer ≥ ${min}, got ${JSON.stringify(raw)}`);
  return v;
}

/** A finite number that passes `ok`; `want` says which, for the message. */
export function numberOption(values: Values, name: string, fallback: number, ok: (v: number) => boolean, want: string): number {
  const raw = values[name];
  if (typeof raw !== 'string') return fallback;
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v) || !ok(v)) throw new UsageError(`--${name}: expected ${want}, got ${JSON.stringify(raw)}`);
  return v;
}

/** "64,32" → [64, 32]; "none" or "0" → no hidden layer. */
export function hiddenOption(values: Values, fallback: number[]): number[] {
  const raw = values.hidden;
  if (typeof raw !== 'string') return fallback;
  if (/^\s*(none|0)?\s*$/i.test(raw)) return [];
  const sizes = raw.split(',').map((s) => (/^\s*\d+\s*$/.test(s) ? Number(s) : NaN));
  if (sizes.some((n) => !Number.isSafeInteger(n) || n < 1)) {
    throw new UsageError(`--hidden: expected layer widths like 64 or 64,32 (or none), got ${JSON.stringify(raw)}`);
  }
  return sizes;
}
