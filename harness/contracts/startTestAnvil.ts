import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { Instance } from 'prool'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { createAnvilCacheDir } from '../devnet/anvilCacheDir.ts'

/** A running Anvil for one test file. Call `stop()` in afterAll. */
export type TestAnvil = { rpcUrl: string; port: number; stop: () => Promise<void> }

/** Absolute path of the Anvil binary shipped by `@foundry-rs/anvil-linux-amd64`. */
export function anvilBinaryPath(): string {
  const pkg = createRequire(import.meta.url).resolve('@foundry-rs/anvil-linux-amd64/package.json')
  return join(dirname(pkg), 'bin', 'anvil')
}

/** Asks the OS for a free TCP port on 127.0.0.1 (prool does not resolve port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))))
    })
  })
}

/**
 * Starts a bare Anvil (chain id 11155111, 127.0.0.1, free port) for tests of the contract doubles.
 * Needs the Promise.withResolvers polyfill (vitest setupFiles loads it).
 *
 * @example
 * const anvil = await startTestAnvil()
 * afterAll(() => anvil.stop())
 */
export async function startTestAnvil(): Promise<TestAnvil> {
  const port = await freePort()
  const cache = createAnvilCacheDir()
  const instance = Instance.anvil(
    // No --silent: prool waits for the "Listening on" line on stdout. cachePath (not in prool's types,
    // passed as --cache-path): states Anvil spills to disk stay in a directory removed at stop.
    { binary: anvilBinaryPath(), chainId: 11155111, host: '127.0.0.1', port, ...({ cachePath: cache.path } as object) },
    { timeout: 10_000 },
  )
  try {
    await instance.start()
  } catch (cause) {
    cache.remove()
    throw new ShepherdError('Anvil did not start for the contract tests', {
      details: [`binary: ${anvilBinaryPath()}`, `port: ${port}`],
      hint: 'Check that @foundry-rs/anvil-linux-amd64 is installed (npm install, without --omit=optional).',
      cause,
    })
  }
  return { rpcUrl: `http://127.0.0.1:${port}`, port, stop: () => instance.stop().finally(cache.remove) }
}
