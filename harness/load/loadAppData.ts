import { MetadataApi, type AppDataParams } from '@cowprotocol/cow-sdk'
import type { Address, Hex } from 'viem'
import { ensureCowSdkAdapter } from '../../modules/sdk/orders/ensureCowSdkAdapter.ts'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'

/** One appData document the load gives its orders: its name, the exact text the orderbook holds, and keccak256 of it. */
export type LoadAppDataDocument = { name: string; hash: Hex; fullAppData: string; bytes: number }

// Fixed, recognisable addresses (a fee recipient, hook targets): the documents only have to be valid.
const feeRecipient: Address = '0x5e9a11e5e9a11e5e9a11e5e9a11e5e9a11e5e9a1'
const hookTarget: Address = '0x40ca1100b5ac4ef1f9f4e1de0d0d0aa5b0d5a5e1'

/** A pre or post hook (schema hooks v0.2.0: target, callData, gasLimit as a decimal string, dappId optional). */
const hook = (i: number, callDataBytes: number) => ({
  target: hookTarget,
  callData: `0x${(i % 256).toString(16).padStart(2, '0').repeat(callDataBytes)}`,
  gasLimit: String(50_000 + i * 1_000),
  dappId: `shepherd-hook-${i}`,
})

/**
 * The documents of the mix, as a client would write them: an app code and environment; a partner fee
 * and a referrer; hooks; and a large one near the orderbook's size limit (8,192 bytes by default).
 */
function mixParams(environment: string): Array<{ name: string; params: AppDataParams }> {
  return [
    { name: 'app-code', params: { appCode: 'Shepherd load', environment } },
    {
      name: 'partner-fee-referrer',
      params: {
        appCode: 'Shepherd load',
        environment,
        metadata: {
          partnerFee: { volumeBps: 25, recipient: feeRecipient },
          referrer: { code: 'SHEPHERD' },
          orderClass: { orderClass: 'twap' },
          quote: { slippageBips: 50 },
        },
      } as AppDataParams,
    },
    {
      name: 'hooks',
      params: { appCode: 'Shepherd load', metadata: { hooks: { version: '0.2.0', pre: [hook(1, 36)], post: [hook(2, 68)] } } } as AppDataParams,
    },
    {
      name: 'large',
      params: {
        appCode: 'Shepherd load',
        environment,
        metadata: {
          partnerFee: { volumeBps: 10, recipient: feeRecipient },
          referrer: { code: 'SHEPHERD' },
          hooks: { version: '0.2.0', pre: Array.from({ length: 6 }, (_, i) => hook(10 + i, 260)), post: Array.from({ length: 6 }, (_, i) => hook(20 + i, 260)) },
        },
      } as AppDataParams,
    },
  ]
}

export type BuildLoadAppDataParameters = {
  /**
   * The `environment` the documents name (schema: free text, where the order was made). Default
   * `devnet`; a run against a real orderbook says where it runs instead (the signed e2e's live mode).
   */
  environment?: string
}

/**
 * Builds the load's appData mix once per run: each document generated, validated against the
 * published appData schema and hashed by `@cowprotocol/sdk-app-data` (cow-sdk's `MetadataApi`), never
 * by hand. A small fixed set, so the hot path only picks one (`pickLoadAppData`), never hashes.
 *
 * @example
 * const documents = await buildLoadAppData()
 * documents.map((d) => `${d.name} ${d.bytes} B ${d.hash}`)
 */
export async function buildLoadAppData({ environment = 'devnet' }: BuildLoadAppDataParameters = {}): Promise<LoadAppDataDocument[]> {
  ensureCowSdkAdapter()
  const api = new MetadataApi()
  const out: LoadAppDataDocument[] = []
  for (const { name, params } of mixParams(environment)) {
    const doc = await api.generateAppDataDoc(params)
    const validation = await api.validateAppDataDoc(doc)
    if (!validation.success) throw new ShepherdError(`The load's appData document "${name}" fails the published schema`, { details: [`errors: ${validation.errors}`] })
    // getAppDataInfo serialises deterministically and hashes that exact text: the pair a client registers.
    const info = await api.getAppDataInfo(doc)
    out.push({ name, hash: info.appDataHex as Hex, fullAppData: info.appDataContent, bytes: Buffer.byteLength(info.appDataContent) })
  }
  return out
}

/**
 * The document order `index` carries: the documents in turn, so every one is used in a run of any size.
 *
 * @example
 * const { hash } = pickLoadAppData(documents, nonce)
 */
export function pickLoadAppData(documents: readonly LoadAppDataDocument[], index: number): LoadAppDataDocument {
  return documents[index % documents.length]!
}

export type RegisterLoadAppDataParameters = { orderbookUrl: string; documents: readonly LoadAppDataDocument[]; fetch?: typeof fetch }

/**
 * Registers each document as a client does before its order exists: `PUT /api/v1/app_data/{hash}`
 * with `{ fullAppData }`. 201 (new) and 200 (already there) are fine; anything else throws, naming
 * the document and the orderbook's answer.
 *
 * @example
 * await registerLoadAppData({ orderbookUrl: stub.baseUrl, documents })
 */
export async function registerLoadAppData({ orderbookUrl, documents, fetch: doFetch = fetch }: RegisterLoadAppDataParameters): Promise<void> {
  const base = orderbookUrl.replace(/\/+$/, '')
  for (const document of documents) {
    const url = `${base}/api/v1/app_data/${document.hash}`
    let status: number
    let body: string
    try {
      const response = await doFetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fullAppData: document.fullAppData }), signal: AbortSignal.timeout(10_000) })
      status = response.status
      body = await response.text()
    } catch (error) {
      throw new ShepherdError(`Could not register the load's appData document "${document.name}"`, { details: [`PUT ${url}`, `reason: ${String(error)}`], hint: 'Is the orderbook (stub) running at that URL?' })
    }
    if (status !== 200 && status !== 201)
      throw new ShepherdError(`The orderbook refused the load's appData document "${document.name}"`, { details: [`PUT ${url}`, `answer: HTTP ${status} ${body.slice(0, 300)}`] })
  }
}
