import { expect, test } from 'vitest'
import { moduleEntrySchema, type ChainConfig } from '../../engine/config/schema.ts'
import { loadModule } from '../../engine/module/loadModules.ts'

test('behavior: the engine loads balance-tracker from modules/balance-tracker/index.ts and parses its config', async () => {
  const entry = moduleEntrySchema.parse({ name: 'balance-tracker', config: { addresses: ['0x9008d19f58aabd9ed0d60971565aa8510560ab41'], threshold: '1000' } })
  const loaded = await loadModule(entry, 0, { file: 'engine.toml', chains: new Map([[11155111, {} as ChainConfig]]) })
  expect(loaded.definition.name).toBe('balance-tracker')
  expect(loaded.subscriptions).toEqual({ blocks: [{ chainId: 11155111 }] })
  expect(loaded.config).toMatchObject({ addresses: ['0x9008D19f58AAbD9eD0D60971565AA8510560ab41'], threshold: 1000n })
})

test('behavior: the engine names a bad balance-tracker config key in its error', async () => {
  const entry = moduleEntrySchema.parse({ name: 'balance-tracker', config: { ...{ addresses: ['0x9008d19f58aabd9ed0d60971565aa8510560ab41'], threshold: '1000' }, chainId: 'sepolia' } })
  await expect(loadModule(entry, 0, { file: 'engine.toml', chains: new Map() })).rejects.toThrow(/chainId/)
})
