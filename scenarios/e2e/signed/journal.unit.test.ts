import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { readJournal, writeJournal } from './journal.ts'
import { JournalError } from './E2eSignedError.ts'

const account = '0x14dC79964da2C08b23698B3D3cc7Ca32193d9955'
const hash = `0x${'ab'.repeat(32)}` as const
const dirs: string[] = []
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-journal-'))
  dirs.push(dir)
  return dir
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

test('a missing journal is an empty one; a written one reads back; the write leaves no temporary file', () => {
  const dir = fresh()
  const { file, journal } = readJournal({ stateDir: dir, chainId: 11155111, account })
  expect(journal.actions).toEqual({})
  writeJournal(file, { ...journal, actions: { 'twap-create': { hash, raw: '0x02f8', sent: true, block: '12' } } })
  expect(readJournal({ stateDir: dir, chainId: 11155111, account }).journal.actions).toEqual({ 'twap-create': { hash, raw: '0x02f8', sent: true, block: '12' } })
  expect(readdirSync(dir)).toEqual(['journal.json'])
})

test.each([
  ['another chain', (dir: string) => writeJournal(join(dir, 'journal.json'), { version: 1, chainId: 1, account, actions: {} }), /another chain/],
  ['another key', (dir: string) => writeJournal(join(dir, 'journal.json'), { version: 1, chainId: 11155111, account: '0x0000000000000000000000000000000000000001', actions: {} }), /another key/],
  ['torn JSON', (dir: string) => writeFileSync(join(dir, 'journal.json'), '{"version":1,'), /not readable JSON/],
  ['a bad hash', (dir: string) => writeFileSync(join(dir, 'journal.json'), JSON.stringify({ version: 1, chainId: 11155111, account, actions: { x: { hash: '0x12', raw: '0x', sent: true } } })), /actions\.x\.hash/],
])('a journal for %s is a JournalError naming its file', (_, write, message) => {
  const dir = fresh()
  write(dir)
  const error = (() => {
    try {
      readJournal({ stateDir: dir, chainId: 11155111, account })
    } catch (e) {
      return e
    }
  })()
  expect(error).toBeInstanceOf(JournalError)
  expect((error as Error).message).toMatch(message)
  expect((error as Error).message).toContain(join(dir, 'journal.json'))
})
