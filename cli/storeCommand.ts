import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { loadConfig } from '../engine/config/loadConfig.ts'
import { ConfigError } from '../engine/errors/config.ts'
import { StoreCheckError } from '../engine/errors/store.ts'
import { backupStore } from '../engine/store/backupStore.ts'
import { inspectStore } from '../engine/store/inspectStore.ts'
import { restoreStore } from '../engine/store/restoreStore.ts'
import { verifyStore, type VerifyStoreReturnType } from '../engine/store/verifyStore.ts'
import { errorMessage } from '../modules/sdk/errors/errorMessage.ts'
import { readChainHeads } from './readChainHeads.ts'

export type StoreCommandIo = { out?: (line: string) => void; err?: (line: string) => void }

const usage = `usage: shepherd store <inspect|verify|backup <dir>|restore <backup>> --config <engine.toml> [--json] [--offline] [--force]
  inspect            each database's keys grouped by prefix, with counts (--json for a machine-readable answer)
  verify             integrity: every database readable end to end, every cursor readable, not ahead
                     of its chain's head and within max_lookback_blocks (--offline: skip the RPC)
  backup <dir>       consistent hot backup of the state directory into a new or empty <dir>, safe
                     while the engine runs
  restore <backup>   restore a backup into the config's state directory (refuses a non-empty one
                     unless --force, which moves it aside), then runs the verify check
Exit codes: 0 ok, 1 a check failed or the store is unusable, 2 bad usage or config.`

const json = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)

function printVerify(result: VerifyStoreReturnType, out: (l: string) => void, err: (l: string) => void) {
  out(`store ${result.dir}: ${result.databases.length} database(s), ${result.databases.reduce((n, d) => n + d.entries, 0)} entries read end to end`)
  for (const c of result.cursors) out(`  cursor chain ${c.chainId}: block ${c.block}`)
  for (const w of result.warnings) out(`  warning: ${w}`)
  for (const p of result.problems) err(`  problem: ${p}`)
  out(result.ok ? 'verify: OK' : `verify: FAILED (${result.problems.length} problem(s))`)
}

/**
 * `shepherd store inspect|verify|backup|restore --config engine.toml`: the operator's tools for the
 * engine's lmdb state directory (the config's `[engine] state_dir`). inspect, verify and backup read
 * only and are safe beside a running engine; restore wants the engine stopped. Resolves to the exit
 * code: 0 ok, 1 a check failed (each problem printed, naming its database, key or chain), 2 bad usage
 * or config (a ConfigError, printed by the CLI with the file and key).
 *
 * @example
 * process.exitCode = await storeCommand(['backup', '/backups/shepherd-1', '--config', 'engine.toml'])
 */
export async function storeCommand(argv: readonly string[], io: StoreCommandIo = {}): Promise<number> {
  const { out = (l: string) => console.log(l), err = (l: string) => console.error(l) } = io
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { config: { type: 'string' }, json: { type: 'boolean', default: false }, offline: { type: 'boolean', default: false }, force: { type: 'boolean', default: false } },
    })
  } catch (error) {
    err(`shepherd store: ${errorMessage(error)}`)
    err(usage)
    return 2
  }
  const [verb, target, ...extra] = parsed.positionals
  const { config: configPath, json: asJson, offline, force } = parsed.values
  const needsTarget = verb === 'backup' || verb === 'restore'
  const problem =
    verb === undefined
      ? 'give a subcommand'
      : !['inspect', 'verify', 'backup', 'restore'].includes(verb)
        ? `unknown subcommand "${verb}"`
        : needsTarget && target === undefined
          ? `${verb} needs a directory (${verb === 'backup' ? 'where to write the backup' : 'the backup to restore'})`
          : (!needsTarget && target !== undefined) || extra.length > 0
            ? `unexpected argument "${needsTarget ? extra[0] : target}"`
            : configPath === undefined
              ? '--config <engine.toml> is required'
              : undefined
  if (problem) {
    err(`shepherd store: ${problem}`)
    err(usage)
    return 2
  }
  const config = loadConfig(configPath!) // a bad or missing config throws ConfigError: exit 2 with the file
  const stateDir = resolve(dirname(config.file), config.engine.state_dir)
  const noStore = () =>
    new ConfigError('No store in the state directory', {
      file: config.file,
      key: 'engine.state_dir',
      expected: 'a directory holding the engine\'s store (data.mdb)',
      found: existsSync(stateDir) ? `${stateDir} without data.mdb` : `${stateDir} does not exist`,
      hint: 'Has the engine run with this config? Check state_dir (relative paths are resolved from the config file).',
    })
  try {
    if (verb === 'inspect') {
      if (!existsSync(resolve(stateDir, 'data.mdb'))) throw noStore()
      const result = await inspectStore({ dir: stateDir })
      if (asJson) out(json(result))
      else {
        out(`store ${result.dir}: ${result.bytes} bytes on disk`)
        const width = Math.max(8, ...result.databases.flatMap((d) => d.prefixes.map((p) => p.prefix.length)))
        for (const db of result.databases) {
          out(`${db.name}  (${db.entries} entries)`)
          for (const p of db.prefixes) out(`  ${p.prefix.padEnd(width)}  ${String(p.count).padStart(8)}`)
        }
      }
      return 0
    }
    if (verb === 'verify') {
      if (!existsSync(resolve(stateDir, 'data.mdb'))) throw noStore()
      const result = await verifyStore({ dir: stateDir, chains: await readChainHeads({ config, offline }) })
      if (asJson) out(json(result))
      else printVerify(result, out, err)
      return result.ok ? 0 : 1
    }
    if (verb === 'backup') {
      if (!existsSync(resolve(stateDir, 'data.mdb'))) throw noStore()
      const result = await backupStore({ stateDir, to: target! })
      if (asJson) out(json(result))
      else {
        out(`backup of ${stateDir} written to ${result.dir} (${result.manifest.bytes} bytes, ${result.tookMs} ms)`)
        for (const c of result.manifest.cursors) out(`  cursor chain ${c.chainId}: block ${c.block}`)
        for (const d of result.manifest.databases) out(`  ${d.name}: ${d.entries} entries`)
      }
      return 0
    }
    const result = await restoreStore({ from: target!, stateDir, force, configFile: config.file, chains: await readChainHeads({ config, offline }) })
    if (asJson) out(json(result))
    else {
      out(`restored ${resolve(target!)} into ${result.stateDir}${result.replacedTo ? ` (the previous state directory was moved to ${result.replacedTo})` : ''}`)
      printVerify(result.verify, out, err)
    }
    return 0
  } catch (error) {
    if (error instanceof StoreCheckError) {
      err(`shepherd store ${verb}: ${error.message}`)
      return 1
    }
    throw error
  }
}
