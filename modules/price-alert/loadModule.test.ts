import { expect, test } from 'vitest'
import { moduleEntrySchema, type ChainConfig } from '../../engine/config/schema.ts'
import { loadModule } from '../../engine/module/loadModules.ts'

test('behavior: the engine loads price-alert from modules/price-alert/index.ts and parses its config', async () => {
  const entry = moduleEntrySchema.parse({ name: 'price-alert', config: { threshold: '2500.5', direction: 'below' } })
  const loaded = await loadModule(entry, 0, { file: 'engine.toml', chains: new Map([[11155111, {} as ChainConfig]]) })
  expect(loaded.definition.name).toBe('price-alert')
  expect(loaded.subscriptions).toEqual({ blocks: [{ chainId: 11155111 }] })
  expect(loaded.config).toMatchObject({ threshold: '2500.5', everyNBlocks: 1 })
})

test('behavior: the engine names a bad price-alert config key in its error', async () => {
  const entry = moduleEntrySchema.parse({ name: 'price-alert', config: { ...{ threshold: '2500.5', direction: 'below' }, chainId: 'sepolia' } })
  await expect(loadModule(entry, 0, { file: 'engine.toml', chains: new Map() })).rejects.toThrow(/chainId/)
})
