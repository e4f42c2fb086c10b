import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The environment variable naming the run's own temporary folder. */
export const runTempDirVariable = 'SHEPHERD_RUN_TMPDIR'

/**
 * vitest globalSetup: gives the whole test run its own temporary folder (TMPDIR, inherited by every
 * worker and every process a test starts), so what a test leaves behind cannot mix with other
 * programs' files, `harness/ci/noTempLeftovers.last.test.ts` can list it at the end of the run,
 * and nothing stays in the system temp directory afterwards. Each project calls it; the first call
 * makes the folder and the others keep it.
 *
 * @example
 * // vitest.config.ts
 * export default defineConfig({ test: { globalSetup: ['./harness/ci/isolateTempDir.ts'] } })
 */
export default function isolateTempDir(): (() => void) | undefined {
  if (process.env[runTempDirVariable]) return undefined
  const previous = process.env.TMPDIR
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-test-run-'))
  process.env[runTempDirVariable] = dir
  process.env.TMPDIR = dir
  return () => {
    if (previous === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = previous
    delete process.env[runTempDirVariable]
    rmSync(dir, { recursive: true, force: true })
  }
}
