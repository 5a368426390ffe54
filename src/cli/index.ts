import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { useSecretPepper } from '../domain/api-keys/secrets.js';
import { commands } from './commands.js';
import type { CommandContext } from './context.js';
import { UsageError } from './usage-error.js';

/**
 * `diga-api COMMAND …`. Every command takes `--database-url` (else DIGA_DATABASE_URL, else the
 * embedded default) and `--json`, which prints exactly one JSON object on stdout. Bad arguments
 * exit with status 2 and a message on stderr; failures with status 1.
 */
const USAGE = `Usage: diga-api <command> [options]

Commands:
  serve                                   Serve the API (as npm start does)
  migrate                                 Apply pending store migrations
  projects create NAME                    Create a project
  keys create --project ID [--name N] [--permissions calls.view,…] [--expires ISO]
                                          Create an API key (unrestricted without --permissions)
  keys revoke ID                          Revoke an API key at once
  runtime-tokens create [--name N]        Create a token for the voice runtime
  projects configure ID [--max-concurrent-calls N|default] [--allowed-country-codes 351,33|default]
                                          Set a project's outbound-call plan
  demo [--calls N] [--project ID] [--seed N] [--recordings N]
                                          Fill the store with simulated calls, transcripts
                                          and (for up to N calls, default 200) WAV recordings
  simulate --server URL [--token T]       Act as a voice runtime (SIMULATED telephony): claim
                                          the dial jobs of placed calls and report lifecycles
      [--concurrency 10] [--speed 1] [--answer-rate 0.85] [--seed N] [--runtime-id NAME]
      [--inbound-per-minute 0 --inbound-phone PHONE_ID] [--max-calls N] [--idle-exit SECONDS]
                                          (--token defaults to DIGA_RUNTIME_TOKEN)

Options for every command:
  --database-url URL   the store (default: DIGA_DATABASE_URL, else ./data/diga.db)
  --json               print one JSON object on stdout and nothing else
`;

const OPTIONS = {
  'database-url': { type: 'string' },
  json: { type: 'boolean', default: false },
  project: { type: 'string' },
  name: { type: 'string' },
  permissions: { type: 'string' },
  expires: { type: 'string' },
  calls: { type: 'string' },
  seed: { type: 'string' },
  recordings: { type: 'string' },
  'max-concurrent-calls': { type: 'string' },
  'allowed-country-codes': { type: 'string' },
  server: { type: 'string' },
  token: { type: 'string' },
  concurrency: { type: 'string' },
  speed: { type: 'string' },
  'answer-rate': { type: 'string' },
  'inbound-per-minute': { type: 'string' },
  'inbound-phone': { type: 'string' },
  'max-calls': { type: 'string' },
  'idle-exit': { type: 'string' },
  'runtime-id': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

export async function runCli(argv: string[], io = { out: process.stdout, err: process.stderr }): Promise<number> {
  let json = argv.includes('--json');
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    json = values.json;
    if (values.help || positionals.length === 0) {
      io.out.write(USAGE);
      return positionals.length === 0 && !values.help ? 2 : 0;
    }
    const [first, second] = positionals;
    const name = commands[`${first} ${second}`] ? `${first} ${second}` : (first as string);
    const command = commands[name];
    if (command === undefined) throw new UsageError(`unknown command: ${positionals.join(' ')}`);
    const args = positionals.slice(name.split(' ').length);
    const env = { ...process.env };
    if (values['database-url']) env.DIGA_DATABASE_URL = values['database-url'];
    const context: CommandContext = { args, options: values, config: loadConfig(env), io, json };
    // Keys and tokens the CLI makes must be stored under the digest the server looks up.
    useSecretPepper(context.config.secretPepper);
    return await command(context);
  } catch (error) {
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const message = error instanceof Error ? error.message : String(error);
    if (json) io.out.write(`${JSON.stringify({ error: message })}\n`);
    io.err.write(`diga-api: ${message}\n${usage ? 'Run `diga-api --help` for usage.\n' : ''}`);
    return usage || error instanceof ConfigError ? 2 : 1;
  }
}
