import { readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { readRunEnvironment } from './readRunEnvironment.ts'

const versionIn = (file: string) => (JSON.parse(readFileSync(join(process.cwd(), file), 'utf8')) as { version: string }).version

describe('readRunEnvironment', () => {
  test('behavior: the short commit is the first 7 characters of the git state, with -dirty when a tracked file changed', () => {
    const commit = '0c639527a4e1b0c3d5f6a7b8c9d0e1f2a3b4c5d6'
    expect(readRunEnvironment({ git: { commit, dirty: false, changed: [] } }).gitCommit).toBe('0c63952')
    const dirty = { commit, dirty: true, changed: ['package.json'] }
    expect(readRunEnvironment({ git: dirty })).toMatchObject({ gitCommit: '0c63952-dirty', git: dirty })
  })

  test('behavior: outside a git work tree the commit stays unknown', () => {
    expect(readRunEnvironment({ git: { commit: 'unknown', dirty: false, changed: [] } }).gitCommit).toBe('unknown')
  })

  test('behavior: the versions are the installed packages, read from their package.json', () => {
    const { versions, machine } = readRunEnvironment({ git: { commit: 'unknown', dirty: false, changed: [] } })
    expect(versions).toEqual({
      node: process.version,
      viem: versionIn('node_modules/viem/package.json'),
      anvil: versionIn('node_modules/@foundry-rs/anvil/package.json'),
      shepherd: versionIn('package.json'),
    })
    expect(machine.cores).toBe(cpus().length)
  })
})
