import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { isHex, type Hex } from 'viem'
import { DevnetError } from './DevnetError.ts'

let runtime: Hex | undefined

/**
 * WETH9's runtime code from `canonical-weth` (`build/contracts/WETH9.json`, `deployedBytecode`).
 *
 * @example
 * await client.setCode({ address: sepoliaAddresses.weth, bytecode: loadWeth9Runtime() })
 */
export function loadWeth9Runtime(): Hex {
  if (runtime) return runtime
  const file = createRequire(import.meta.url).resolve('canonical-weth/build/contracts/WETH9.json')
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'))
  const code = typeof parsed === 'object' && parsed !== null ? (parsed as { deployedBytecode?: unknown }).deployedBytecode : undefined
  if (typeof code !== 'string' || !isHex(code) || code.length < 4)
    throw new DevnetError('canonical-weth WETH9.json has no deployedBytecode', { details: [`file: ${file}`] })
  runtime = code
  return runtime
}
