import { parseArgs } from 'node:util';
import { ConfigError, redactSecrets } from '../../libs/config/app-config.js';

/** sysexits.h: what a script calling us can tell apart. */
export const EXIT = { failure: 1, usage: 64, config: 78 } as const;

/** An expected failure: its message is all the operator sees (one line, no stack). */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failure,
  ) {
    super(message);
  }
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  /** Shown in the help as `--name <valueName>`. */
  valueName?: string;
}

export interface CommandSpec<Options extends Record<string, OptionSpec>> {
  /** As the operator types it, e.g. `npm run migrate --`. */
  invocation: string;
  summary: string;
  options: Options;
  /** Environment variables the command reads, with what they mean to it. */
  environment?: Record<string, string>;
}

export type OptionValues<Options extends Record<string, OptionSpec>> = {
  [Name in keyof Options]?: Options[Name]['type'] extends 'boolean' ? boolean : string;
};

const HELP: OptionSpec = { type: 'boolean', description: 'Show this help and exit.' };

export function helpText(spec: CommandSpec<Record<string, OptionSpec>>): string {
  const options = Object.entries({ ...spec.options, help: HELP }).map(([name, option]) => [
    `--${name}${option.valueName ? ` <${option.valueName}>` : ''}`,
    option.description,
  ]);
  const environment = Object.entries(spec.environment ?? {});
  const width = Math.max(...[...options, ...environment].map(([left]) => left.length)) + 2;
  const table = (rows: string[][]): string => rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n');
  return [
    `Usage: ${spec.invocation} [options]`,
    '',
    spec.summary,
    '',
    'Options:',
    table(options),
    ...(environment.length ? ['', 'Environment:', table(environment)] : []),
  ].join('\n');
}

/** Parses argv strictly; --help prints the help and exits 0; anything unknown is a usage error naming --help. */
export function parseCommandLine<Options extends Record<string, OptionSpec>>(
  spec: CommandSpec<Options>,
  argv = process.argv.slice(2),
): OptionValues<Options> {
  const options = Object.fromEntries(
    Object.entries({ ...spec.options, help: HELP }).map(([name, { type }]) => [name, { type }]),
  );
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false }));
  } catch (error) {
    throw usageError(spec, (error as Error).message);
  }
  if (values.help) {
    console.log(helpText(spec));
    process.exit(0);
  }
  return values as OptionValues<Options>;
}

export function usageError(spec: CommandSpec<Record<string, OptionSpec>>, problem: string): CommandError {
  return new CommandError(`${problem.replace(/\.$/, '')}. See ${spec.invocation} --help`, EXIT.usage);
}

/** A multi-line message (a configuration report) on one line: "Heading:\n  a\n  b" becomes "Heading: a; b". */
function oneLine(message: string): string {
  return message.replace(/:\s*\n\s*/g, ': ').replace(/\s*\n\s*/g, '; ');
}

/**
 * Runs a command to its exit code. An expected failure (CommandError, a bad setting) is one line
 * on stderr; anything else is reported the same way, since an operator's terminal is no place for
 * a stack trace (DEBUG_CLI=1 shows it). Secrets in URLs are masked either way.
 */
export async function runCommand(name: string, main: () => Promise<number | void>): Promise<void> {
  let exitCode: number;
  try {
    exitCode = (await main()) ?? 0;
  } catch (error) {
    exitCode =
      error instanceof CommandError ? error.exitCode : error instanceof ConfigError ? EXIT.config : EXIT.failure;
    const message = error instanceof Error ? error.message : String(error);
    console.error(redactSecrets(`${name}: ${oneLine(message)}`));
    if (process.env.DEBUG_CLI && error instanceof Error) console.error(redactSecrets(error.stack ?? ''));
  }
  // Exit explicitly: a pool or a timer left open must not keep the terminal waiting.
  process.exit(exitCode);
}
