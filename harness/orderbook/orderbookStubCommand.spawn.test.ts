import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { exampleOrderCreation } from './exampleOrderCreation.ts'
import type { RecordEntry } from './createRequestRecord.ts'

const bin = resolve('bin/shepherd.js')
const children: ChildProcess[] = []
const dirs: string[] = []

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** Starts the real command and resolves to its base URL (its first stdout line), bounded. */
function startCommand(args: string[]): Promise<{ child: ChildProcess; baseUrl: string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [bin, 'orderbook-stub', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)))
  return new Promise((done, fail) => {
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => fail(new Error(`no base URL within 60 s; stdout: ${stdout}\nstderr: ${stderr}`)), 60_000)
    child.stderr!.on('data', (chunk) => (stderr += chunk))
    child.stdout!.on('data', (chunk) => {
      stdout += chunk
      const line = stdout.split('\n')[0]
      if (stdout.includes('\n') && line) {
        clearTimeout(timer)
        done({ child, baseUrl: line.trim(), exited })
      }
    })
    void exited.then((code) => fail(new Error(`exited ${code} before printing a base URL; stderr: ${stderr}`)))
  })
}

const parseLines = (text: string) => text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as RecordEntry)

/** The dump file's entries once it holds `count` of them (bounded: 100 tries, 50 ms apart). */
async function dumpWith(file: string, count: number): Promise<RecordEntry[]> {
  for (let i = 0; i < 100; i++) {
    if (existsSync(file)) {
      const entries = parseLines(readFileSync(file, 'utf8'))
      if (entries.length === count) return entries
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`${file} never held ${count} entries: ${existsSync(file) ? readFileSync(file, 'utf8') : '(missing)'}`)
}

describe('shepherd orderbook-stub: the record is readable by whoever runs it', () => {
  test('behavior: served as JSON lines on GET /__shepherd/record, dumped on SIGUSR2 and at SIGTERM to --record-file', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shepherd-stub-record-'))
    dirs.push(dir)
    const file = join(dir, 'record.jsonl')
    const { child, baseUrl, exited } = await startCommand(['--port', '0', '--record-file', file])
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(readFileSync(file, 'utf8')).toBe('')

    const json = { 'content-type': 'application/json' }
    const posted = await fetch(`${baseUrl}/api/v1/orders`, { method: 'POST', headers: json, body: JSON.stringify(exampleOrderCreation()) })
    expect(posted.status).toBe(201)
    const uid = (await posted.json()) as string
    const plain = await fetch(`${baseUrl}/api/v1/orders`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })
    expect(plain.status).toBe(415)

    const served = await fetch(`${baseUrl}/__shepherd/record`)
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('application/x-ndjson')
    const entries = parseLines(await served.text())
    expect(entries.map((e) => [e.seq, e.method, e.path, e.status])).toEqual([
      [1, 'POST', '/api/v1/orders', 201],
      [2, 'POST', '/api/v1/orders', 415],
    ])
    expect(entries[0]).toMatchObject({ uid, responseBody: uid, body: { sellAmount: '1000000000000000000' } })
    // Reading the record does not add to it; `since` skips what a poller already has.
    expect(parseLines(await (await fetch(`${baseUrl}/__shepherd/record?since=1`)).text()).map((e) => e.seq)).toEqual([2])
    expect((await fetch(`${baseUrl}/__shepherd/record?since=x`)).status).toBe(400)

    child.kill('SIGUSR2')
    expect((await dumpWith(file, 2)).map((e) => e.status)).toEqual([201, 415])
    expect(child.exitCode).toBeNull()

    expect((await fetch(`${baseUrl}/api/v1/orders/${uid}`)).status).toBe(200)
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    const dumped = parseLines(readFileSync(file, 'utf8'))
    expect(dumped.map((e) => [e.method, e.path, e.status])).toEqual([
      ['POST', '/api/v1/orders', 201],
      ['POST', '/api/v1/orders', 415],
      ['GET', `/api/v1/orders/${uid}`, 200],
    ])
  })

  test('behavior: a --record-file that cannot be written fails at start, exit 2, naming the option', { timeout: 120_000 }, async () => {
    const child = spawn(process.execPath, [bin, 'orderbook-stub', '--port', '0', '--record-file', '/nonexistent-dir/record.jsonl'], { stdio: ['ignore', 'pipe', 'pipe'] })
    children.push(child)
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)))
    expect(code).toBe(2)
    expect(stderr).toMatch(/--record-file/)
  })
})
