/**
 * The command line, thin: parses arguments with commander and calls the commands. Every error
 * before testing starts maps to exit 2 with one line on stderr.
 */
import { Argument, Command, CommanderError, Option } from 'commander';
import { checksCommand } from './checks-command.js';
import { EXIT, TgcInputError } from './errors.js';
import type { CliIo } from './io.js';
import { typesCommand } from './types-command.js';
import { VALIDATE_KINDS, validateCommand, type ValidateKind } from './validate.js';
import { VERSION } from '../version.js';

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = new Command('tgc')
    .description('Contract tests and conformance checks for the text-generation HTTP API (TGI, Hugging Face Inference API)')
    .version(VERSION, '-V, --version')
    .exitOverride()
    .showHelpAfterError('(run tgc --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (s, write) => write(s) });

  program
    .command('validate')
    .description('validate recorded requests, responses, SSE streams or exchanges against the contract')
    .addArgument(
      new Argument('<kind>', 'what the files hold').choices(VALIDATE_KINDS),
    )
    .argument('<files...>', 'files to validate')
    .option('--request <file>', 'the JSON request that produced the responses/streams (adds request-dependent checks)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Examples:
  tgc validate response body.json --request request.json
  tgc validate stream transcript.sse
  tgc validate exchanges recorded.jsonl
  tgc validate request request.json`,
    )
    .action(async (kind: ValidateKind, files: string[], opts: { request?: string; format: 'text' | 'json' }) => {
      exitCode = await validateCommand(kind, files, opts, io);
    });

  program
    .command('checks')
    .description('list every check: id, severity, the rule and its source')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((opts: { format: 'text' | 'json' }) => {
      exitCode = checksCommand(opts, io);
    });

  program
    .command('types')
    .description('write the TypeScript bindings generated from the spec (stdout by default)')
    .option('--out <file>', 'write to this file')
    .action(async (opts: { out?: string }) => {
      exitCode = await typesCommand(opts, io);
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') {
        return EXIT.ok;
      }
      return EXIT.cannotTest; // commander has printed its message
    }
    if (e instanceof TgcInputError) {
      io.stderr(`tgc: ${e.message}\n`);
      return EXIT.cannotTest;
    }
    io.stderr(`tgc: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.cannotTest;
  }
}
