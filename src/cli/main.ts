#!/usr/bin/env node
// The simdnet command: dispatch to a command, and turn any failure into one
// line on stderr ("simdnet: <message>") and an exit code, never a stack trace.

import { readFileSync } from 'node:fs';
import { UsageError, failureOf } from './errors.js';
import { evaluate } from './evaluate.js';
import { MAIN_HELP } from './help.js';
import { predict } from './predict.js';
import { train } from './train.js';

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = { train, predict, evaluate };

function version(): string {
  // src/cli/ and dist/cli/ both sit two levels below the package root.
  return JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;
}

async function main(argv: string[]): Promise<void> {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError(`expected a command: ${Object.keys(COMMANDS).join(', ')} (see simdnet --help)`);
  if (first === '--help' || first === '-h') return void process.stdout.write(MAIN_HELP);
  if (first === '--version' || first === '-v') return void process.stdout.write(`${version()}\n`);
  if (first === 'help') return rest.length ? commandNamed(rest[0])(['--help']) : void process.stdout.write(MAIN_HELP);
  await commandNamed(first)(rest);
}

function commandNamed(name: string): (args: string[]) => Promise<void> {
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command) return command;
  const what = name.startsWith('-') ? 'option' : 'command';
  throw new UsageError(`unknown ${what} ${JSON.stringify(name)}; expected a command: ${Object.keys(COMMANDS).join(', ')} (see simdnet --help)`);
}

// A reader that goes away (`simdnet predict … | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv.slice(2)).then(
  () => {
    process.exitCode ??= 0;
  },
  (e: unknown) => {
    const { message, exitCode } = failureOf(e);
    process.stderr.write(`simdnet: ${message}\n`);
    process.exitCode = exitCode;
  },
);
