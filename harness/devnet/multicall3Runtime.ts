import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { isHex, type Hex } from 'viem'
import type { DevnetClient } from './createDevnetClient.ts'
import { DevnetError } from './DevnetError.ts'

let initcode: Hex | undefined

/**
 * Multicall3's creation code, as viem ships it. viem does not export the constant from its entry
 * points, so we read it from viem's own (pinned) source file.
 */
export function multicall3Initcode(): Hex {
  if (initcode) return initcode
  const file = join(dirname(createRequire(import.meta.url).resolve('viem/package.json')), '_esm', 'constants', 'contracts.js')
  const match = /multicall3Bytecode\s*=\s*'(0x[0-9a-fA-F]+)'/.exec(readFileSync(file, 'utf8'))
  if (!match?.[1] || !isHex(match[1]))
    throw new DevnetError('Cannot find Multicall3 creation code in viem', { details: [`file: ${file}`], hint: 'viem moved the constant: update multicall3Runtime.ts.' })
  initcode = match[1]
  return initcode
}

/**
 * Multicall3's runtime code, obtained by running its creation code in an `eth_call` (a contract
 * creation call returns the code it would deploy), so no transaction or block is needed.
 *
 * @example
 * await client.setCode({ address: sepoliaAddresses.multicall3, bytecode: await multicall3Runtime(client) })
 */
export async function multicall3Runtime(client: DevnetClient): Promise<Hex> {
  const { data } = await client.call({ data: multicall3Initcode() })
  if (!data || data.length < 4) throw new DevnetError('Running Multicall3 creation code returned no runtime code')
  return data
}
