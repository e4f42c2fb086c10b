import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { isHex, type AbiParameter, type Hex } from 'viem'
import { z } from 'zod'
import { DevnetError } from './DevnetError.ts'

/** The deployment files of `@cowprotocol/contracts` this devnet replays. */
export type SepoliaDeploymentName = 'GPv2AllowListAuthentication_Implementation' | 'GPv2AllowListAuthentication_Proxy' | 'GPv2Settlement'

export type SepoliaDeployment = {
  name: SepoliaDeploymentName
  /** The address the contract has on Sepolia. */
  address: Hex
  /** Creation code exactly as deployed (the package's lib/ artifacts differ in metadata, so land elsewhere). */
  bytecode: Hex
  args: readonly unknown[]
  constructorInputs: readonly AbiParameter[]
}

const hex = z.string().refine((value) => isHex(value), 'expected 0x-prefixed hex')
const abiParameter: z.ZodType<AbiParameter> = z.looseObject({ type: z.string(), name: z.string().optional() }) as unknown as z.ZodType<AbiParameter>
const deploymentFile = z.object({
  address: hex,
  bytecode: hex,
  args: z.array(z.unknown()).default([]),
  abi: z.array(z.looseObject({ type: z.string(), inputs: z.array(abiParameter).optional() })),
})

const cache = new Map<SepoliaDeploymentName, SepoliaDeployment>()

/**
 * Reads one of `@cowprotocol/contracts/deployments/sepolia/*.json` (initcode, constructor args,
 * the constructor's ABI inputs), parsed and cached.
 *
 * @example
 * const settlement = loadSepoliaDeployment('GPv2Settlement')
 * settlement.args // ['0x2c4c28DD...', '0xBA122222...']
 */
export function loadSepoliaDeployment(name: SepoliaDeploymentName): SepoliaDeployment {
  const cached = cache.get(name)
  if (cached) return cached
  const specifier = `@cowprotocol/contracts/deployments/sepolia/${name}.json`
  let text: string
  try {
    text = readFileSync(createRequire(import.meta.url).resolve(specifier), 'utf8')
  } catch (cause) {
    throw new DevnetError(`Cannot read ${specifier}`, { cause, hint: 'Install @cowprotocol/contracts 1.8.0 (npm install).' })
  }
  const parsed = deploymentFile.safeParse(JSON.parse(text))
  if (!parsed.success)
    throw new DevnetError(`Unexpected shape of ${specifier}`, { details: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) })
  const constructor = parsed.data.abi.find((item) => item.type === 'constructor')
  const deployment: SepoliaDeployment = {
    name,
    address: parsed.data.address as Hex,
    bytecode: parsed.data.bytecode as Hex,
    args: parsed.data.args,
    constructorInputs: constructor?.inputs ?? [],
  }
  cache.set(name, deployment)
  return deployment
}
