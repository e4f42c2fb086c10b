import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** Where one Anvil keeps the chain states it spills to disk, and how to remove them. */
export type AnvilCacheDir = { path: string; remove: () => void }

/**
 * A directory of its own for one Anvil's `--cache-path`. Past a few hundred blocks Anvil writes each
 * older block's state to disk (up to 3,600 of them, ~5 MB each under our load) and, by default, in
 * `~/.foundry/anvil/tmp`, which it never removes, not on SIGTERM, not on SIGINT: a day of CI runs
 * left 79 GB there and filled the disk. Each devnet gets its own `shepherd-*` directory there, removed
 * once Anvil has exited (by `stop()`, the exit hook, or the reaper). Not under the test run's TMPDIR:
 * a devnet a test leaves running until its process exits is removed by the exit hook only after the
 * `leftovers` check has run (a known leak, to be found).
 *
 * @example
 * const cache = createAnvilCacheDir()
 * Instance.anvil({ ..., cachePath: cache.path })
 * // after the process exited:
 * cache.remove()
 */
export function createAnvilCacheDir(): AnvilCacheDir {
  const base = join(homedir(), '.foundry', 'anvil', 'tmp')
  mkdirSync(base, { recursive: true })
  const path = mkdtempSync(join(base, 'shepherd-'))
  // Retries: a SIGKILLed Anvil may still be closing a file as we remove the directory.
  return { path, remove: () => rmSync(path, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 }) }
}
