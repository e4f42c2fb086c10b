import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { open } from 'lmdb'
import { afterEach, describe, expect, test } from 'vitest'
import { checkLmdbFile } from './checkLmdbFile.ts'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('checkLmdbFile', () => {
  test("behavior: reads the page size and last page lmdb itself reports for a real file (pins lmdb-js's header layout)", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shepherd-lmdbfile-'))
    dirs.push(dir)
    const root = open<string, string>({ path: dir, maxDbs: 8, encoding: 'string' })
    const db = root.openDB<string, string>({ name: 'module:x', encoding: 'string' })
    for (let i = 0; i < 2000; i++) db.put(`watch:${i}`, 'v'.repeat(200))
    await root.flushed
    const stats = root.getStats() as { pageSize: number; lastPageNumber: number; lastTxnId: number }
    const header = checkLmdbFile(join(dir, 'data.mdb'))
    await root.close()
    expect(header).toEqual({ ok: true, facts: { bytes: expect.any(Number), pageSize: stats.pageSize, lastPage: BigInt(stats.lastPageNumber), txnId: BigInt(stats.lastTxnId) } })

    // The same file cut one page short of its last page: refused, never handed to lmdb.
    const cut = join(dir, 'cut.mdb')
    writeFileSync(cut, readFileSync(join(dir, 'data.mdb')))
    truncateSync(cut, stats.lastPageNumber * stats.pageSize)
    expect(checkLmdbFile(cut)).toMatchObject({ ok: false, problem: expect.stringContaining('the file was cut short') })
  })

  test('behavior: a file that is not lmdb, a tiny file and a missing file each say what is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shepherd-lmdbfile-'))
    dirs.push(dir)
    writeFileSync(join(dir, 'zeros'), Buffer.alloc(16384))
    writeFileSync(join(dir, 'tiny'), 'hello')
    expect(checkLmdbFile(join(dir, 'zeros'))).toMatchObject({ ok: false, problem: expect.stringContaining('not an lmdb data file') })
    expect(checkLmdbFile(join(dir, 'tiny'))).toMatchObject({ ok: false, problem: expect.stringContaining('too short to be an lmdb data file') })
    expect(checkLmdbFile(join(dir, 'missing'))).toMatchObject({ ok: false, problem: expect.stringContaining('cannot be read (ENOENT)') })
  })
})
