import { getAddress, isAddress, type Address } from 'viem'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

/** The protocol fields the service reads from an appData document. */
export type ProtocolAppData = {
  /** `metadata.signer`: the only `from` the order may have (else `AppdataFromMismatch`). */
  signer: Address | null
  /** The sum of every pre and post hook's `gasLimit` (the service's `Hooks::gas_limit`). */
  hooksGas: bigint
}

export type ReadProtocolAppDataReturnType = { ok: true; value: ProtocolAppData } | { ok: false; description: string }

const U64_MAX = (1n << 64n) - 1n

/**
 * Reads the protocol fields of an appData document as the service's `app_data::Validator` does
 * (cowprotocol/services `crates/app-data/src/app_data.rs`): they live in `metadata` (`signer`,
 * `hooks.pre` / `hooks.post`, each hook's `gasLimit` a decimal u64); without `metadata`, the
 * deprecated `backend.hooks` are read (and no signer). A field of the wrong shape makes the whole
 * document invalid (`InvalidAppData`), as the service's typed deserialization refuses it. Never throws.
 *
 * @example
 * readProtocolAppData('{"metadata":{"signer":"0x4242424242424242424242424242424242424242"}}') // { ok: true, value: { signer: '0x4242...', hooksGas: 0n } }
 */
export function readProtocolAppData(document: string): ReadProtocolAppDataReturnType {
  let root: unknown
  try {
    root = JSON.parse(document)
  } catch (error) {
    return { ok: false, description: `invalid app data json: ${errorMessage(error)}` }
  }
  if (!isObject(root)) return { ok: false, description: 'invalid app data json: expected a JSON object' }
  const metadata = root.metadata
  const backend = root.backend
  const source = metadata !== undefined && metadata !== null ? { where: 'metadata', value: metadata } : backend !== undefined && backend !== null ? { where: 'backend', value: backend } : null
  if (source === null) return { ok: true, value: { signer: null, hooksGas: 0n } }
  if (!isObject(source.value)) return { ok: false, description: `invalid app data json: ${source.where}: expected an object` }
  let signer: Address | null = null
  const rawSigner = source.where === 'metadata' ? source.value.signer : undefined
  if (rawSigner !== undefined && rawSigner !== null) {
    if (typeof rawSigner !== 'string' || !isAddress(rawSigner, { strict: false })) {
      return { ok: false, description: `invalid app data json: metadata.signer: expected a 20-byte hex address, got ${JSON.stringify(rawSigner)}` }
    }
    signer = getAddress(rawSigner)
  }
  let hooksGas = 0n
  const hooks = source.value.hooks
  if (hooks !== undefined && hooks !== null) {
    if (!isObject(hooks)) return { ok: false, description: `invalid app data json: ${source.where}.hooks: expected an object` }
    for (const side of ['pre', 'post'] as const) {
      const list = hooks[side]
      if (list === undefined || list === null) continue
      if (!Array.isArray(list)) return { ok: false, description: `invalid app data json: ${source.where}.hooks.${side}: expected an array` }
      for (const [i, hook] of list.entries()) {
        const gas = isObject(hook) ? hook.gasLimit : undefined
        const text = typeof gas === 'number' ? String(gas) : gas
        if (typeof text !== 'string' || !/^\d+$/.test(text) || BigInt(text) > U64_MAX) {
          return { ok: false, description: `invalid app data json: ${source.where}.hooks.${side}[${i}].gasLimit: expected a decimal u64, got ${JSON.stringify(gas)}` }
        }
        // Hooks::gas_limit adds with saturation at u64::MAX.
        hooksGas = hooksGas + BigInt(text) > U64_MAX ? U64_MAX : hooksGas + BigInt(text)
      }
    }
  }
  return { ok: true, value: { signer, hooksGas } }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
