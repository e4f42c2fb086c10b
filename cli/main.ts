import { parseArgs } from 'node:util'
import { ShepherdError } from '../modules/sdk/errors/base.ts'
import { ConfigError } from '../engine/errors/config.ts'
import { runCommand } from './runCommand.ts'
import { packageVersion } from '../engine/packageInfo.ts'

const packageJson = { version: packageVersion }

export const helpText = `shepherd ${packageJson.version}: run and test CoW Protocol automation

Usage:
  shepherd run --config <engine.toml> [--pretty]   run the engine until SIGINT/SIGTERM
  shepherd devnet [--port N] [--block-time S]      start the embedded devnet (Anvil + CoW Protocol)
  shepherd orderbook-stub [--port N] [--rpc-url URL] [--record-file F]
                                                   serve the orderbook stub on 127.0.0.1 (--rpc-url: chain checks
                                                   and EthFlow indexing; --record-file: every request as JSON lines)
  shepherd release <module> [--config F] [--admin URL]
                                                   un-park a poisoned module (admin endpoint; token from --config or SHEPHERD_ADMIN_TOKEN)
  shepherd watches [restore <id>|--all] --config <engine.toml> [--module M] [--json]
                                                   list watches modules removed (with why); restore them
  shepherd store inspect|verify|backup <dir>|restore <backup> --config <engine.toml> [--json] [--offline] [--force]
                                                   list the store's keys by prefix, check its integrity, hot backup, restore
  shepherd load --rpc-url URL [--senders W --twap N --ethflow M --blocks B]
                                                   drive TWAP and EthFlow load against any RPC
  shepherd record --rpc URL --from N --to M --config <engine.toml> --out fixtures/<name>.ndjson[.gz] [--orderbook configured|stub]
                                                   record a block range into a cassette (resumes if interrupted)
  shepherd replay <cassette> [--modules a,b] [--module-file ./my-module.ts] [--orderbook recorded|accept-all] [--drift] [--report path]
                                                   backtest modules (or your own module file) on a cassette, no network
  shepherd scenario <name-or-file> [--subject-cmd "node bot.mjs" --ready-line TEXT] [--scale ci|full] [--out DIR]
                                                   run a scenario (built-in or your file), judge our engine or your bot; exit 0 PASS, 1 FAIL
  shepherd e2e [--devnet] | --rpc-url URL --orderbook-url URL --metrics-url URL --state DIR [--out DIR]
                                                   signed, resumable end-to-end run (key from SHEPHERD_E2E_PRIVATE_KEY); exit 0 PASS, 1 FAIL
  shepherd e2e <repo-path> [--keep] [--json FILE] [--junit FILE]
                                                   the sandbox contract: provision <repo-path>/e2e/e2e.yml's stack, wait for its
                                                   health checks, run its test_command, tear down; exit 0 PASS, 1 FAIL
  shepherd e2e <repo-path> --host HOST [--remote-shepherd CMD] [--keep] [--json FILE] [--junit FILE]
                                                   the same on HOST over ssh + rsync (SHEPHERD_SSH_OPTIONS: extra ssh options;
                                                   CMD default "npx --no-install shepherd", or SHEPHERD_REMOTE_COMMAND)
  shepherd --help | --version

Exit codes: 0 ok, 1 runtime failure, 2 bad configuration or usage.
Docs: README.md, docs/operations/`

type Command = (argv: string[]) => Promise<number>

/** Extra commands registered by the harness (orderbook-stub, load, record, replay). */
const commands: Record<string, () => Promise<Command>> = {
  run: async () => runCommand,
  'orderbook-stub': async () => (await import('../harness/orderbook/orderbookStubCommand.ts')).orderbookStubCommand,
  load: async () => (await import('../harness/load/index.ts')).loadCommand,
  release: async () => (await import('../engine/supervisor/releaseCommand.ts')).releaseCommand,
  watches: async () => (await import('./watchesCommand.ts')).watchesCommand,
  store: async () => (await import('./storeCommand.ts')).storeCommand,
  devnet: async () => (await import('../harness/devnet/devnetCommand.ts')).devnetCommand,
  record: async () => (await import('../harness/replay/replayCommands.ts')).recordCommand,
  replay: async () => (await import('../harness/replay/replayCommands.ts')).replayCommand,
  scenario: async () => (await import('./scenarioCommand.ts')).scenarioCommand,
  // A repository path (or a contract flag) runs the sandbox contract; anything else the signed run.
  e2e: async () => {
    const [{ e2eCommand }, { isSandboxInvocation, sandboxCommand }] = await Promise.all([import('./e2eCommand.ts'), import('./sandboxCommand.ts')])
    return (argv: string[]) => (isSandboxInvocation(argv) ? sandboxCommand(argv) : e2eCommand(argv))
  },
}

/**
 * The `shepherd` command line. Resolves to the process exit code.
 *
 * @example
 * process.exitCode = await main(['run', '--config', 'engine.toml'])
 */
export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    console.log(helpText)
    return first === undefined ? 2 : 0
  }
  if (first === '--version' || first === '-v') {
    console.log(packageJson.version)
    return 0
  }
  const load = commands[first]
  if (!load) {
    console.error(`shepherd: unknown command "${first}"\n\n${helpText}`)
    return 2
  }
  try {
    const command = await load()
    return await command(rest)
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`shepherd: ${error.message}`)
      return 2
    }
    if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`shepherd: ${error.message}\n\n${helpText}`)
      return 2
    }
    console.error(`shepherd: ${error instanceof ShepherdError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    return 1
  }
}

export { parseArgs }
