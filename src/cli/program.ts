/**
 * The command line, thin: parses arguments with commander and calls the commands. Every error
 * before testing starts maps to exit 2 with one line on stderr.
 *
 * Each command's module is imported when that command runs: the APIs (contracts, checks), the
 * engine, the report writers and the reference server together take about half a second to
 * load, which `tgc --version`, `tgc --help` and a mistyped flag need not wait for.
 */
import { Argument, Command, CommanderError, Option } from 'commander';
import { API_NAMES } from '../apis/names.js';
// The option specs alone: the reference server (msw, graphql: a sixth of a second) loads with `tgc mock`.
import { MOCK_OPTION_SPECS } from '../reference/options.js';
import type { RawMatrixOptions } from './matrix-command.js';
import type { RawMergeOptions } from './merge-command.js';
import type { RawProxyOptions } from './proxy-command.js';
import type { RawRunOptions } from './run-command.js';
import { EXIT, TgcInputError } from './errors.js';
import type { CliIo } from './io.js';
import { VALIDATE_KINDS, type ValidateKind } from './validate-kinds.js';
import { VERSION } from '../version.js';

/** Every check's id, for the commands that take `--checks` or read reports (loads every API). */
async function checkIds(): Promise<string[]> {
  const { everyCheck } = await import('../apis/index.js');
  return everyCheck().map((c) => c.id);
}

const collectQuirk = (value: string, previous: string[]): string[] => [...previous, value];

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
    .addOption(new Option('--api <api>', 'the API of a request, response or stream file (exchanges say their route)').choices([...API_NAMES]))
    .addOption(new Option('--route <route>', 'with --api openai: which route (else inferred from --request)').choices(['chat', 'completions', 'models']))
    .addHelpText(
      'after',
      `
Examples:
  tgc validate response body.json --request request.json
  tgc validate stream transcript.sse
  tgc validate exchanges recorded.jsonl
  tgc validate request request.json
  tgc validate stream chat.sse --api openai --route chat
  tgc validate response completion.json --api openai --request request.json`,
    )
    .action(async (kind: ValidateKind, files: string[], opts: { request?: string; format: 'text' | 'json'; api?: string; route?: string }) => {
      const { validateCommand } = await import('./validate.js');
      exitCode = await validateCommand(kind, files, opts, io);
    });

  const collect = (value: string, previous: string[]): string[] => [...previous, value];
  program
    .command('run')
    .description('run the conformance checks against a live endpoint (or the built-in reference server)')
    .option('--url <url>', 'the server: with --api tgi its base URL; with --api hf the endpoint to POST to; with --api openai the base ending in /v1 (default: the built-in reference server)')
    .option('--api <api>', `which surface to test: ${API_NAMES.join(', ')}, or several of one server (tgi,openai)`, 'tgi')
    .option('--model <name>', 'with --api openai: the model field of every request (default: the first of GET /v1/models)')
    .option('--token <token>', 'sent as Authorization: Bearer <token> (default: $HF_TOKEN; with --api openai $OPENAI_API_KEY, then $HF_TOKEN); never written anywhere')
    .option('--auth-required', 'the server must reject a missing or wrong token (401 or 403)')
    .option('--header <header>', "extra request header 'Name: value' (repeatable)", collect, [])
    .option('--seed <n>', 'seed for reproducible generation (default: random, printed)')
    .option('--max-examples <n>', 'random cases per route', '20')
    .option('--checks <ids>', 'only these checks (comma-separated ids, see tgc checks)')
    .option('--exclude-checks <ids>', 'skip these checks')
    .option('--concurrency <n>', 'requests in flight at once (default: 4; 8 against the built-in server)')
    .option('--rate <r>', 'requests started per second, 0 for no limit (default: 20; none against the built-in server)')
    .option('--max-requests <n>', 'at most this many requests in all', '2000')
    .option('--timeout-ms <ms>', 'per-request deadline: connect + first byte + body', '30000')
    .option('--connect-timeout-ms <ms>', 'connect deadline', '5000')
    .option('--stream-idle-ms <ms>', 'longest silence inside a stream', '30000')
    .option('--stream-timeout-ms <ms>', 'longest whole stream', '120000')
    .option('--max-body-bytes <n>', 'largest response body or stream (default: 10485760, and for a 2xx answer what its request allows where max_new_tokens or max_tokens bounds it)')
    .option('--max-events <n>', 'most events in one stream (default: twice the tokens the request allows plus 16, at most 100000)')
    .option('--max-event-bytes <n>', 'largest single event', String(1024 * 1024))
    .option('--max-best-of <n>', "the server's max_best_of, where /info does not tell")
    .option('--max-stop-sequences <n>', "the server's max_stop_sequences")
    .option('--max-top-n-tokens <n>', "the server's max_top_n_tokens (TGI's /info does not show it)")
    .option('--max-input-tokens <n>', "the server's max_input_tokens")
    .option('--max-total-tokens <n>', "the server's max_total_tokens")
    .option('--no-grammar', 'the server runs without grammar support')
    .option('--report-dir <dir>', 'where reports go', 'reports')
    .option('--format <list>', 'report files to write, comma-separated: json,junit,md,html (default: all)')
    .option('--baseline <file>', 'violations already in this earlier report.json do not fail the run')
    .option('--suppress <file>', 'JSON rules accepted by your team: {check, route?, reason}; matches are listed, never hidden')
    .option('--record <file>', 'write every exchange as JSON Lines (tgc validate exchanges reads it)')
    .option('--shard <i/n>', 'run the i-th of n deterministic slices of the planned cases (needs --seed; tgc merge joins the reports)')
    .addHelpText(
      'after',
      `
Examples:
  tgc run                                       # against the built-in reference server
  tgc run --url http://127.0.0.1:8080 --seed 7  # a TGI server
  tgc run --url https://host/models/my-model --api hf --auth-required
  tgc run --url http://127.0.0.1:8080 --baseline reports/old.json --record run.jsonl

Exit codes: 0 nothing wrong (warnings allowed), 1 violations, 2 could not test, 130 interrupted.`,
    )
    .action(async (opts: RawRunOptions) => {
      const { runCommand } = await import('./run-command.js');
      exitCode = await runCommand(opts, io, await checkIds());
    });

  const mock = program
    .command('mock')
    .description('serve the reference server on 127.0.0.1 (prints "listening on URL" when ready)')
    .option('--list-faults', 'print the name of every fault and exit')
    .option('--list-quirks', 'print every quirk of real OpenAI-compatible servers: server, source, tgc\'s verdict, what the official clients do')
    .option('--quirk <name>', 'serve a real server\'s documented departure on the /v1 routes (repeatable; see --list-quirks)', collectQuirk, [] as string[]);
  for (const spec of MOCK_OPTION_SPECS) {
    if (spec.defaultValue !== undefined) mock.option(spec.flags, spec.description, spec.defaultValue);
    else mock.option(spec.flags, spec.description);
  }
  mock
    .addHelpText(
      'after',
      `
Examples:
  tgc mock --port 8080                      # TGI routes: /generate, /generate_stream, /, /info
  tgc mock --profile hf --loading-ms 5000   # the seed document's POST /models/{id}
  tgc mock --check-client --latency-ms 20   # report what a client under development gets wrong
  tgc mock --fault stream-index-from-zero   # a deliberately broken server
  tgc mock --quirk tgi-2.0.1                # /v1 routes as TGI 2.0.1 served them (eos_token, no [DONE])`,
    )
    .action(async (opts: Record<string, string | boolean | undefined>, cmd: Command) => {
      const { mockCommand } = await import('./mock-command.js');
      exitCode = await mockCommand(opts, io, (key) => cmd.getOptionValueSource(key) === 'cli');
    });

  program
    .command('proxy')
    .description('forward live traffic to a target unchanged and judge every exchange; reports on Ctrl-C or SIGTERM')
    .requiredOption('--target <url>', 'the proxied server: its base URL (TGI), or the endpoint URL (--api hf); clients point at the proxy as at the target')
    .option('--port <n>', 'port to listen on (0: any free port)', '8081')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .addOption(new Option('--api <api>', 'how paths other than /v1/chat/completions, /v1/completions, /v1/models are judged (openai: not at all)').choices(['tgi', 'hf', 'openai']).default('tgi'))
    .option('--report-dir <dir>', 'where reports go', 'reports')
    .option('--format <list>', 'report files to write, comma-separated: json,junit,md,html (default: all)')
    .option('--baseline <file>', 'violations already in this earlier report.json do not fail')
    .option('--suppress <file>', 'JSON rules accepted by your team: {check, route?, reason}; matches are listed, never hidden')
    .option('--record <file>', 'write every judged exchange as JSON Lines (tgc validate exchanges reads it)')
    .option('--fail-on-client', "the clients' departures (client-request, request-schema) fail too")
    .option('--drain-ms <ms>', 'on the first signal, how long exchanges in flight may take to finish', '10000')
    .option('--connect-timeout-ms <ms>', 'connect deadline to the target (then 504)', '5000')
    .option('--first-byte-timeout-ms <ms>', 'deadline for the response headers (then 504); a stream is never cut once begun', '120000')
    .option('--max-body-bytes <n>', 'bytes of one body kept for judging; larger exchanges pass whole and are not judged', String(10 * 1024 * 1024))
    .addHelpText(
      'after',
      `
Examples:
  tgc proxy --target http://127.0.0.1:8080 --port 8081          # TGI; clients use http://127.0.0.1:8081
  tgc proxy --target https://host/models/org/model --api hf --record live.jsonl
  OPENAI_BASE_URL=http://127.0.0.1:8081/v1 my-app               # an OpenAI client through the proxy

Exit codes (after the first Ctrl-C or SIGTERM): 0 nothing wrong, 1 violations by the target
(by clients too with --fail-on-client), 2 could not test; a second signal: 130 / 143 at once.`,
    )
    .action(async (opts: RawProxyOptions) => {
      const { proxyCommand } = await import('./proxy-command.js');
      exitCode = await proxyCommand(opts, io, await checkIds());
    });

  program
    .command('checks')
    .description('list every check: id, severity, the rule and its source')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (opts: { format: 'text' | 'json' }) => {
      const { checksCommand } = await import('./checks-command.js');
      exitCode = checksCommand(opts, io);
    });

  program
    .command('types')
    .description('write the TypeScript bindings generated from the spec (stdout by default)')
    .addOption(
      new Option('--api <api>', 'which API: tgi and hf (spec/openapi.yaml) or openai (spec/openai.yaml)')
        .choices([...API_NAMES])
        .default('tgi'),
    )
    .option('--out <file>', 'write to this file')
    .action(async (opts: { out?: string; api?: string }) => {
      const { typesCommand } = await import('./types-command.js');
      exitCode = await typesCommand(opts, io);
    });

  program
    .command('matrix')
    .description('a compatibility matrix of targets against checks, from recorded exchanges and tgc run reports (json, md, html)')
    .argument('<files...>', 'recorded exchanges (any format tgc validate exchanges reads, --record files) and report.json files of tgc run')
    .option('--out <dir>', 'where matrix.json, matrix.md and matrix.html go', 'reports')
    .option('--by <how>', 'rows: target (the provider field, else a report\'s URL, else the file\'s name), provider (a report\'s URL cut to its host), or model (each target split by model)', 'target')
    .option('--format <list>', 'files to write, comma-separated: json,md,html (default: all)')
    .option('--fail-on-violation', 'exit 1 when a cell fails (default: exit 0 once written)')
    .addHelpText(
      'after',
      `
Examples:
  tgc matrix recordings/*.jsonl --out matrix
  tgc matrix nightly/*/report.json --by provider --format md,html
  tgc matrix openai-exchanges.jsonl --by model --fail-on-violation

Exit codes: 0 written, 1 a failing cell (only with --fail-on-violation), 2 bad input.`,
    )
    .action(async (files: string[], opts: RawMatrixOptions) => {
      const { matrixCommand } = await import('./matrix-command.js');
      exitCode = await matrixCommand(files, opts, io);
    });

  program
    .command('merge')
    .description('one report, in every format, from the report.json files of the shards of one run (tgc run --shard I/N)')
    .argument('<reports...>', 'the report.json of every shard')
    .option('--out <dir>', 'where the merged reports go', 'reports')
    .option('--format <list>', 'report files to write, comma-separated: json,junit,md,html (default: all)')
    .option('--baseline <file>', 'violations already in this earlier report.json do not fail')
    .option('--suppress <file>', 'JSON rules accepted by your team: {check, route?, reason}; matches are listed, never hidden')
    .addHelpText(
      'after',
      `
Examples:
  tgc run --seed 7 --shard 1/2 --report-dir shard-1 && tgc run --seed 7 --shard 2/2 --report-dir shard-2
  tgc merge shard-*/report.json --out reports

Exit codes: as tgc run would have exited (0, 1, 2); 2 with one line for shards that do not belong
together (another seed, version, option or target; a shard missing or given twice; not a shard report).`,
    )
    .action(async (files: string[], opts: RawMergeOptions) => {
      const { mergeCommand } = await import('./merge-command.js');
      exitCode = await mergeCommand(files, opts, io, await checkIds());
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
