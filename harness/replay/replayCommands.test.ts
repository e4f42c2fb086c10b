import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test, vi } from 'vitest'
import { CASSETTE_FORMAT, CASSETTE_VERSION, encodeEntry, type CassetteEntry } from './cassette.ts'
import { replayCommand } from './replayCommands.ts'
describe('replayCommand', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-replay-cmd-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  test('behavior: `shepherd replay` on a cassette with no blocks exits non-zero, saying there is nothing to judge', async () => {
    const file = join(dir, 'empty.ndjson')
    const header: CassetteEntry = { t: 'header', format: CASSETTE_FORMAT, version: CASSETTE_VERSION, chainId: 11155111, recordedOn: 'local devnet', from: 1n, to: 1n, modules: [], tool: 'shepherd test', recordedAt: '2026-01-01T00:00:00Z' }
    writeFileSync(file, `${encodeEntry(header)}\n`)
    const out = vi.spyOn(console, 'log').mockImplementation(() => {})
    const err = vi.spyOn(console, 'error').mockImplementation(() => {})
    try {
      expect(await replayCommand([file])).toBe(1)
      expect(out.mock.calls.flat().join('\n')).toMatch(/\*\*FAIL\*\*: nothing to judge: the cassette has no blocks/)
    } finally {
      out.mockRestore()
      err.mockRestore()
    }
  })
})
