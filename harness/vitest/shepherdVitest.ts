import { fileURLToPath } from 'node:url'
import type { ShepherdVitestOptions } from './provided.ts'

/** Options of `shepherdVitest`: how the devnet and the stub are started. */
export type ShepherdVitestParameters = ShepherdVitestOptions

/** The piece of a vitest project's `test` config that `shepherdVitest` returns. */
export type ShepherdVitestReturnType = {
  globalSetup: string[]
  setupFiles: string[]
  provide: { shepherdOptions: ShepherdVitestOptions }
}

// The entry's own extension: `.ts` in Shepherd's checkout, `.js` once built into an installed package.
const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js'
const sibling = (name: string) => fileURLToPath(new URL(`./${name}${extension}`, import.meta.url))

/**
 * The `test` config a vitest project needs to run against Shepherd: a globalSetup that starts one
 * devnet (Anvil, chain 11155111, the protocol at its Sepolia addresses) and one orderbook stub per
 * run and provides their URLs (`useShepherd()`), and a setup file that registers the scenario
 * matchers (`expect(run).toPass()`). Spread it into a project; merge arrays if you have your own.
 *
 * @example
 * // vitest.config.ts
 * import { defineConfig } from 'vitest/config'
 * import { shepherdVitest } from 'shepherd/vitest'
 * export default defineConfig({ test: { ...shepherdVitest({ devnet: { blockTime: 1 } }), testTimeout: 120_000 } })
 */
export function shepherdVitest(parameters: ShepherdVitestParameters = {}): ShepherdVitestReturnType {
  return {
    globalSetup: [sibling('globalSetup')],
    setupFiles: [sibling('setup')],
    provide: { shepherdOptions: parameters },
  }
}
