import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Where one Anvil keeps the chain states it spills to disk, and how to remove them. */
export type AnvilCacheDir = { path: string; remove: () => void }

/**
 * A directory of its own for one Anvil's `--cache-path`. Past a few hundred blocks Anvil writes each
 * older block's state to disk (up to 3,600 of them, ~5 MB each under our load) and, by default, in
 * `~/.foundry/anvil/tmp`, which it never removes, not on SIGTERM, not on SIGINT: a day of CI runs
 * left 79 GB there and filled the disk. Under the OS temp dir, the test run's own TMPDIR holds it
 * (the `leftovers` project sees one left behind), and the devnet removes it once Anvil has exited.
 *
 * @example
 * const cache = createAnvilCacheDir()
 * Instance.anvil({ ..., cachePath: cache.path })
 * // after the process exited:
 * cache.remove()
 */
export function createAnvilCacheDir(): AnvilCacheDir {
  const path = mkdtempSync(join(tmpdir(), 'shepherd-anvil-'))
  // Retries: a SIGKILLed Anvil may still be closing a file as we remove the directory.
  return { path, remove: () => rmSync(path, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 }) }
}
