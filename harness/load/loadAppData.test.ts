import { MetadataApi } from '@cowprotocol/cow-sdk'
import { keccak256, stringToHex } from 'viem'
import { describe, expect, test } from 'vitest'
import { buildLoadAppData, pickLoadAppData, registerLoadAppData } from './loadAppData.ts'

describe('the load appData mix', () => {
  test('behavior: every document passes the published schema, and its hash is keccak256 of its exact text', async () => {
    const documents = await buildLoadAppData()
    expect(documents.map((d) => d.name)).toEqual(['app-code', 'partner-fee-referrer', 'hooks', 'large'])
    const api = new MetadataApi()
    for (const d of documents) {
      expect(d.hash).toBe(keccak256(stringToHex(d.fullAppData)))
      expect(await api.validateAppDataDoc(JSON.parse(d.fullAppData))).toMatchObject({ success: true })
    }
    expect(new Set(documents.map((d) => d.hash)).size).toBe(4)
    const large = documents.find((d) => d.name === 'large')!
    // Large, yet under the orderbook's default limit of 8,192 bytes.
    expect(large.bytes).toBeGreaterThan(6_000)
    expect(large.bytes).toBeLessThanOrEqual(8_192)
    expect(JSON.parse(documents[1]!.fullAppData).metadata).toMatchObject({ partnerFee: { volumeBps: 25 }, referrer: { code: 'SHEPHERD' } })
    expect(JSON.parse(documents[2]!.fullAppData).metadata.hooks.pre).toHaveLength(1)
  })

  test('behavior: orders take the documents in turn', async () => {
    const documents = await buildLoadAppData()
    expect([0, 1, 2, 3, 4, 9].map((i) => pickLoadAppData(documents, i).name)).toEqual(['app-code', 'partner-fee-referrer', 'hooks', 'large', 'app-code', 'partner-fee-referrer'])
  })

  test('behavior: registering PUTs each document at its hash, and a refusal throws naming the document and the answer', async () => {
    const documents = await buildLoadAppData()
    const seen: Array<{ url: string; body: unknown }> = []
    const ok = (async (url: string, init: RequestInit) => {
      seen.push({ url, body: JSON.parse(String(init.body)) })
      return new Response(JSON.stringify('0x'), { status: 201 })
    }) as typeof fetch
    await registerLoadAppData({ orderbookUrl: 'http://127.0.0.1:1/', documents, fetch: ok })
    expect(seen.map((s) => s.url)).toEqual(documents.map((d) => `http://127.0.0.1:1/api/v1/app_data/${d.hash}`))
    expect(seen[3]!.body).toEqual({ fullAppData: documents[3]!.fullAppData })
    const refuse = (async () => new Response('{"errorType":"AppDataInvalid","description":"app data is invalid"}', { status: 400 })) as typeof fetch
    await expect(registerLoadAppData({ orderbookUrl: 'http://127.0.0.1:1', documents, fetch: refuse })).rejects.toThrow(/refused the load's appData document "app-code"[\s\S]*HTTP 400 .*AppDataInvalid/)
  })
})
