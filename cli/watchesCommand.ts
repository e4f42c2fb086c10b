import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { open } from 'lmdb'
import { listRemovedWatches, restoreRemovedWatch, type RemovedWatch } from '../modules/sdk/store/removedWatches.ts'
import { loadConfig } from '../engine/config/loadConfig.ts'
import { errorMessage } from '../modules/sdk/errors/errorMessage.ts'
import { createStore, type CreateStoreParameters } from '../engine/store/createStore.ts'

export type WatchesCommandIo = {
  out?: (line: string) => void
  err?: (line: string) => void
  /** Test hook, passed to the store: throwing fails the write as a refused disk write would. */
  injectWriteFault?: CreateStoreParameters['injectWriteFault']
}

const usage = `usage: shepherd watches [restore <id> | restore --all] (--config <engine.toml> | --state-dir <dir>) [--module <name>] [--json]
  lists the watches modules removed by their own decision (e.g. twap-monitor after repeated unreadable
  poll answers), with the reason; "restore" puts one (or all) back, due at the next block. Works on the
  engine's state dir, also while the engine runs.`

type Parsed = { action: 'list' | 'restore'; ids: string[] | 'all'; config?: string; stateDir?: string; module?: string; json: boolean }

function parse(argv: readonly string[]): Parsed | { error: string } {
  const positional: string[] = []
  let config: string | undefined
  let stateDir: string | undefined
  let module: string | undefined
  let all = false
  let json = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const value = (name: string) => {
      const v = argv[++i]
      if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`)
      return v
    }
    try {
      if (arg === '--config') config = value('--config')
      else if (arg === '--state-dir') stateDir = value('--state-dir')
      else if (arg === '--module') module = value('--module')
      else if (arg === '--all') all = true
      else if (arg === '--json') json = true
      else if (arg.startsWith('-')) return { error: `unknown option ${arg}` }
      else positional.push(arg)
    } catch (error) {
      return { error: errorMessage(error) }
    }
  }
  if ((config === undefined) === (stateDir === undefined)) return { error: 'give --config <engine.toml> or --state-dir <dir> (one of them)' }
  const [verb, ...ids] = positional
  if (verb === undefined) return all ? { error: '--all goes with "restore"' } : { action: 'list', ids: [], config, stateDir, module, json }
  if (verb !== 'restore') return { error: `unknown subcommand "${verb}" (only "restore")` }
  if (all && ids.length > 0) return { error: 'give ids or --all, not both' }
  if (!all && ids.length === 0) return { error: 'restore needs a watch id (as listed) or --all' }
  return { action: 'restore', ids: all ? 'all' : ids, config, stateDir, module, json }
}

/** The module databases in the state dir (`module:<name>`), read from lmdb's list of named databases. */
async function moduleNamesIn(stateDir: string): Promise<string[]> {
  const root = open({ path: stateDir, maxDbs: 256, encoding: 'binary' })
  try {
    const names: string[] = []
    for (const { key } of root.getRange({})) if (typeof key === 'string' && key.startsWith('module:')) names.push(key.slice('module:'.length))
    return names
  } finally {
    await root.close()
  }
}

const describeRemoval = (module: string, watch: RemovedWatch) => {
  const when = Number.isFinite(watch.removedAt) ? new Date(watch.removedAt).toISOString() : 'at an unknown time'
  const lines = [`${module}  ${watch.id}`, `    removed ${when}${watch.block === undefined ? '' : ` at block ${watch.block}`}: ${watch.reason}`]
  if (watch.details) lines.push(`    ${Object.entries(watch.details).map(([k, v]) => `${k} ${String(v)}`).join(', ')}`)
  return lines
}

/**
 * `shepherd watches`: lists the watches that modules removed by their own decision (a
 * `removed:<id>` record in the module's store, e.g. twap-monitor after `maxUnknownPolls` unreadable
 * answers), and `shepherd watches restore <id>... | --all` puts them back (due at the next block),
 * on the engine's state dir (from `--config`, or `--state-dir`). lmdb lets it run beside a live
 * engine, which sees a restored watch at its next block. A module's restores are one transaction:
 * "restored" is printed only once it is stored; a refused write stores none of it and says so.
 * Resolves to the exit code: 0 done, 1 an id not found, the state dir missing or a write refused,
 * 2 bad usage or config.
 *
 * @example
 * process.exitCode = await watchesCommand(['--config', 'engine.toml'])
 * process.exitCode = await watchesCommand(['restore', '0xabc...', '--config', 'engine.toml'])
 */
export async function watchesCommand(argv: readonly string[], io: WatchesCommandIo = {}): Promise<number> {
  const { out = (l: string) => console.log(l), err = (l: string) => console.error(l), injectWriteFault } = io
  const parsed = parse(argv)
  if ('error' in parsed) {
    err(`shepherd watches: ${parsed.error}`)
    err(usage)
    return 2
  }
  let stateDir: string
  let configured: string[] | undefined
  if (parsed.config !== undefined) {
    const config = loadConfig(parsed.config) // a bad config throws ConfigError: exit 2 with file and key
    stateDir = resolve(dirname(config.file), config.engine.state_dir)
    configured = config.modules.map((m) => m.name)
  } else stateDir = resolve(parsed.stateDir!)
  if (!existsSync(stateDir)) {
    err(`shepherd watches: no state dir at ${stateDir}${parsed.config ? ` ([engine] state_dir of ${parsed.config})` : ''}; has the engine run with this config?`)
    return 1
  }
  const present = await moduleNamesIn(stateDir)
  const modules = parsed.module !== undefined ? [parsed.module] : present.filter((name) => configured === undefined || configured.includes(name))
  if (parsed.module !== undefined && !present.includes(parsed.module)) {
    err(`shepherd watches: module "${parsed.module}" has no store in ${stateDir} (stores: ${present.join(', ') || 'none'})`)
    return 1
  }

  const store = createStore({ stateDir, injectWriteFault })
  try {
    const removed = await Promise.all(modules.map(async (module) => ({ module, watches: await listRemovedWatches(store.forModule(module)) })))
    if (parsed.action === 'list') {
      if (parsed.json) out(JSON.stringify(removed.flatMap(({ module, watches }) => watches.map((w) => ({ module, ...w, restore: undefined }))), (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2))
      else {
        const total = removed.reduce((n, r) => n + r.watches.length, 0)
        out(`${total} removed watch${total === 1 ? '' : 'es'} in ${stateDir}${total === 0 ? '' : ':'}`)
        for (const { module, watches } of removed) for (const watch of watches) for (const line of describeRemoval(module, watch)) out(line)
        if (total > 0) out(`restore one with: shepherd watches restore <id> ${parsed.config ? `--config ${parsed.config}` : `--state-dir ${stateDir}`} (or --all)`)
      }
      return 0
    }
    const wanted = parsed.ids === 'all' ? undefined : new Set(parsed.ids.map((id) => id.toLowerCase()))
    const found = new Set<string>()
    let refused = false
    for (const { module, watches } of removed) {
      const chosen = watches.filter((watch) => wanted === undefined || wanted.has(watch.id.toLowerCase()))
      if (chosen.length === 0) continue
      // One transaction per module, committed before anything is reported restored.
      const moduleStore = store.forModule(module)
      moduleStore.begin()
      const restored: string[] = []
      for (const watch of chosen) if (await restoreRemovedWatch(moduleStore, watch.id)) restored.push(watch.id)
      try {
        await moduleStore.commit()
      } catch (error) {
        refused = true
        for (const id of restored) found.add(id.toLowerCase()) // found, not restored: not "missing" too
        err(`shepherd watches: could not store the restore of ${restored.join(', ')} in ${module}'s store (${stateDir}): ${errorMessage(error)}`)
        err('  nothing of it was written; the watches stay removed. Check the disk (space, permissions), then run the command again.')
        continue
      }
      for (const id of restored) {
        found.add(id.toLowerCase())
        out(`restored ${module} ${id} (due at the next block)`)
      }
    }
    const missing = wanted === undefined ? [] : [...wanted].filter((id) => !found.has(id))
    for (const id of missing) err(`shepherd watches: no removed watch ${id} in ${modules.join(', ') || 'any module'} (list them with shepherd watches)`)
    if (wanted === undefined && found.size === 0) out('nothing to restore')
    return missing.length > 0 || refused ? 1 : 0
  } finally {
    await store.close()
  }
}
