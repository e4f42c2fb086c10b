import { closeSync, openSync, readSync, statSync } from 'node:fs'

/** What the header of an lmdb data file says, once it is known to be whole. */
export type LmdbFileFacts = { bytes: number; pageSize: number; lastPage: bigint; txnId: bigint }

export type CheckLmdbFileReturnType = { ok: true; facts: LmdbFileFacts } | { ok: false; problem: string }

// The layout of lmdb-js 3.x's data file (its LMDB fork has a 24-byte page header): two meta pages,
// each with the magic, the page size (in the free database's record) and the last page and
// transaction id. engine/store/checkLmdbFile.test.ts pins these offsets against a real file, so an
// lmdb upgrade that moves them fails there, not in an operator's restore.
const MAGIC = 0xbeefc0de
const MAGIC_AT = 24
const PAGE_SIZE_AT = 48
const LAST_PAGE_AT = 144
const TXN_ID_AT = 152
const META_BYTES = 160

/**
 * Checks an lmdb data file (`data.mdb`) before lmdb maps it: lmdb trusts its file, and a file that is
 * not an lmdb file or was cut short (a partial copy) crashes the process (SIGSEGV or SIGBUS) instead
 * of throwing. Reads the two meta pages: the magic must be there and the file must hold every page up
 * to the newest transaction's last page. Never throws for a bad file; says what is wrong.
 *
 * @example
 * const header = checkLmdbFile('/var/lib/shepherd/backup-1/data.mdb')
 * if (!header.ok) throw new Error(header.problem)
 */
export function checkLmdbFile(file: string): CheckLmdbFileReturnType {
  let bytes: number
  try {
    bytes = statSync(file).size
  } catch (error) {
    return { ok: false, problem: `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` }
  }
  if (bytes < META_BYTES) return { ok: false, problem: `${file}: ${bytes} bytes, too short to be an lmdb data file` }
  const fd = openSync(file, 'r')
  try {
    const first = Buffer.alloc(META_BYTES)
    readSync(fd, first, 0, META_BYTES, 0)
    if (first.readUInt32LE(MAGIC_AT) !== MAGIC) return { ok: false, problem: `${file}: not an lmdb data file (no lmdb magic number in its first page)` }
    const pageSize = first.readUInt32LE(PAGE_SIZE_AT)
    if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return { ok: false, problem: `${file}: the header names a page size of ${pageSize} bytes (expected a power of two, 512-65536)` }
    if (bytes < 2 * pageSize) return { ok: false, problem: `${file}: ${bytes} bytes, shorter than its two header pages (${2 * pageSize} bytes): cut short` }
    const second = Buffer.alloc(META_BYTES)
    readSync(fd, second, 0, META_BYTES, pageSize)
    const metas = [first, second].filter((m) => m.readUInt32LE(MAGIC_AT) === MAGIC).map((m) => ({ lastPage: m.readBigUInt64LE(LAST_PAGE_AT), txnId: m.readBigUInt64LE(TXN_ID_AT) }))
    const newest = metas.reduce((a, b) => (b.txnId > a.txnId ? b : a))
    const needed = (newest.lastPage + 1n) * BigInt(pageSize)
    if (BigInt(bytes) < needed) return { ok: false, problem: `${file}: ${bytes} bytes, but its newest transaction (${newest.txnId}) uses pages up to ${newest.lastPage}, ${needed} bytes: the file was cut short` }
    return { ok: true, facts: { bytes, pageSize, lastPage: newest.lastPage, txnId: newest.txnId } }
  } finally {
    closeSync(fd)
  }
}
