import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { artifactsDir, camelName, compileContracts } from './compile.ts'

// One compile for the file: solc-js takes a few seconds with the optimizer on.
const result = compileContracts()

describe('committed contract artifacts', () => {
  test('behavior: every artifact on disk equals a fresh compile of src/ (regenerate with npx tsx harness/contracts/compile.ts)', () => {
    const stale: string[] = []
    for (const [name, text] of Object.entries(result.files)) {
      const path = join(artifactsDir, name)
      if (!existsSync(path)) stale.push(`${name} (missing)`)
      else if (readFileSync(path, 'utf8') !== text) stale.push(`${name} (differs)`)
    }
    const extra = readdirSync(artifactsDir).filter((name) => !(name in result.files))
    expect({ stale, extra }).toEqual({ stale: [], extra: [] })
  })

  test('behavior: every double in the brief is compiled with runtime code', () => {
    expect(result.contracts.map((c) => c.contractName)).toEqual([
      'ChainlinkAggregator',
      'CoWSwapEthFlow',
      'ComposableCoW',
      'CowToken',
      'CurrentBlockTimestampFactory',
      'ForwarderOwner',
      'LogEmitter',
      'TWAP',
    ])
    for (const c of result.contracts) expect(c.deployedBytecode.length, c.contractName).toBeGreaterThan(100)
  })

  test('behavior: the sources hash changes when a source changes', () => {
    const sources = { 'A.sol': 'contract A {}' }
    const changed = { 'A.sol': 'contract A { uint256 x; }' }
    expect(compileContracts(sources).sourcesHash).not.toBe(compileContracts(changed).sourcesHash)
  })

  test('behavior: a compile error is reported with the solc message', () => {
    expect(() => compileContracts({ 'Broken.sol': 'contract Broken { function f( }' })).toThrow(/Solidity compilation failed[\s\S]*Broken\.sol/)
  })

  test('behavior: camelName lowercases a leading acronym but keeps the next word', () => {
    expect(['TWAP', 'ComposableCoW', 'CoWSwapEthFlow', 'ABCToken'].map(camelName)).toEqual([
      'twap',
      'composableCoW',
      'coWSwapEthFlow',
      'abcToken',
    ])
  })

  test('behavior: no double keeps state in immutables (runtime code must stand alone under anvil_setCode)', () => {
    expect(result.contracts.filter((c) => c.immutables.length > 0).map((c) => c.contractName)).toEqual([])
    const withImmutable = compileContracts({ 'I.sol': 'contract I { uint256 immutable x = block.number; function f() external view returns (uint256) { return x; } }' })
    expect(withImmutable.contracts[0]?.immutables.length).toBe(1)
  })
})
