import { expect, test } from 'vitest'
import { moduleEntrySchema, type ChainConfig } from '../../engine/config/schema.ts'
import { loadModule } from '../../engine/module/loadModules.ts'

test('behavior: the engine loads stop-loss from modules/stop-loss/index.ts and parses its config', async () => {
  const entry = moduleEntrySchema.parse({ name: 'stop-loss', config: { triggerPrice: '1800', owner: '0x7bF140727D27ea64b607E042f1225680B40ECa6A', sellToken: '0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14', buyToken: '0x0625aFB445C3B6B7B929342a04A22599fd5dBB59', sellAmount: '1', buyAmount: '1' } })
  const loaded = await loadModule(entry, 0, { file: 'engine.toml', chains: new Map([[11155111, {} as ChainConfig]]) })
  expect(loaded.definition.name).toBe('stop-loss')
  expect(loaded.subscriptions).toEqual({ blocks: [{ chainId: 11155111 }] })
  expect(loaded.config).toMatchObject({ receiver: '0x7bF140727D27ea64b607E042f1225680B40ECa6A', maxAttempts: 8 })
})

test('behavior: the engine names a bad stop-loss config key in its error', async () => {
  const entry = moduleEntrySchema.parse({ name: 'stop-loss', config: { ...{ triggerPrice: '1800', owner: '0x7bF140727D27ea64b607E042f1225680B40ECa6A', sellToken: '0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14', buyToken: '0x0625aFB445C3B6B7B929342a04A22599fd5dBB59', sellAmount: '1', buyAmount: '1' }, chainId: 'sepolia' } })
  await expect(loadModule(entry, 0, { file: 'engine.toml', chains: new Map() })).rejects.toThrow(/chainId/)
})
