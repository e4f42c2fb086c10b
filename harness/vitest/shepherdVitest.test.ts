import { existsSync } from 'node:fs'
import { expect, test } from 'vitest'
import { shepherdVitest, useShepherd } from './index.ts'

test('behavior: shepherdVitest() points at the globalSetup and setup files beside it and passes the options on', () => {
  const piece = shepherdVitest({ devnet: { blockTime: null }, orderbook: { followEthFlow: false } })
  expect(piece.globalSetup).toHaveLength(1)
  expect(piece.globalSetup[0]).toMatch(/harness\/vitest\/globalSetup\.ts$/)
  expect(piece.setupFiles[0]).toMatch(/harness\/vitest\/setup\.ts$/)
  for (const file of [...piece.globalSetup, ...piece.setupFiles]) expect(existsSync(file)).toBe(true)
  expect(piece.provide).toEqual({ shepherdOptions: { devnet: { blockTime: null }, orderbook: { followEthFlow: false } } })
  // Provided values reach the workers as JSON.
  expect(JSON.parse(JSON.stringify(piece.provide))).toEqual(piece.provide)
})

test('behavior: useShepherd() outside a project with Shepherd\'s globalSetup says how to add it', () => {
  expect(() => useShepherd()).toThrow(/nothing provided under "shepherd".*shepherdVitest\(\)/)
})
