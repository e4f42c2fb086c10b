// The globalSetup itself, outside vitest's machinery: what it provides is live, the options reach
// it, and its teardown leaves neither the devnet nor the stub behind.
import { afterEach, expect, test } from 'vitest'
import setup from './globalSetup.ts'
import type { ShepherdProvided, ShepherdVitestOptions } from './provided.ts'

const rpc = async (url: string, method: string, params: unknown[] = []) => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  return ((await response.json()) as { result: unknown }).result
}

function fakeProject(options?: ShepherdVitestOptions) {
  const provided: Record<string, unknown> = options ? { shepherdOptions: options } : {}
  return { provided, project: { provide: (key: string, value: unknown) => void (provided[key] = value), getProvidedContext: () => provided } as never }
}

let teardown: (() => Promise<void>) | undefined
afterEach(async () => {
  await teardown?.()
  teardown = undefined
})

test('behavior: provides a live devnet (chain 11155111, protocol deployed) and stub, and tears both down', async () => {
  const { provided, project } = fakeProject()
  teardown = await setup(project)
  const shepherd = provided.shepherd as ShepherdProvided
  expect(shepherd.chainId).toBe(11155111)
  expect(shepherd.blockTime).toBe(1)
  expect(await rpc(shepherd.rpcUrl, 'eth_chainId')).toBe('0xaa36a7')
  expect(((await rpc(shepherd.rpcUrl, 'eth_getCode', [shepherd.addresses.gpv2Settlement, 'latest'])) as string).length).toBeGreaterThan(2)
  expect(shepherd.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/)
  expect(shepherd.orderbookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  expect((await fetch(`${shepherd.orderbookUrl}/api/v1/version`)).status).toBe(200)
  // Provided values cross into vitest's workers: they must survive serialization unchanged.
  expect(JSON.parse(JSON.stringify(shepherd))).toEqual(shepherd)

  await teardown()
  teardown = undefined
  await expect(fetch(`${shepherd.orderbookUrl}/api/v1/version`)).rejects.toThrow()
  await expect(rpc(shepherd.rpcUrl, 'eth_chainId')).rejects.toThrow()
})

test('behavior: options from shepherdVitest reach the devnet (manual mining: no block without a mine)', async () => {
  const { provided, project } = fakeProject({ devnet: { blockTime: null }, orderbook: { followEthFlow: false } })
  teardown = await setup(project)
  const shepherd = provided.shepherd as ShepherdProvided
  expect(shepherd.blockTime).toBeUndefined()
  const before = await rpc(shepherd.rpcUrl, 'eth_blockNumber')
  await new Promise((resolve) => setTimeout(resolve, 1_500))
  expect(await rpc(shepherd.rpcUrl, 'eth_blockNumber')).toBe(before)
})
