// The reaper: a small watchdog (in the spirit of Testcontainers' Ryuk), started detached by a
// runner. It polls the runner's PID; when that PID is gone (killed, even by SIGKILL) it ends every
// process group and process the manifest lists and removes its folders, then exits. A runner that
// ends normally deletes the manifest: the reaper then exits without touching anything.
// Plain JavaScript on purpose: it starts with `node reaper.mjs`, no transpiler, in ~40 ms.
// Usage: node reaper.mjs <runner-pid> <manifest.json>
import { existsSync, readFileSync, rmSync } from 'node:fs'

const [runnerPid, manifestFile] = [Number(process.argv[2]), process.argv[3]]
if (!Number.isInteger(runnerPid) || !manifestFile) {
  console.error('usage: node reaper.mjs <runner-pid> <manifest.json>')
  process.exit(2)
}

function alive(pid) {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return error.code === 'EPERM'
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true
  }
}

function signal(target, name) {
  try {
    process.kill(target, name)
  } catch {
    // Already gone.
  }
}

function readManifest() {
  try {
    return JSON.parse(readFileSync(manifestFile, 'utf8'))
  } catch {
    return undefined
  }
}

async function reap() {
  const manifest = readManifest() ?? {}
  const groups = manifest.groups ?? []
  const pids = manifest.pids ?? []
  for (const group of groups) signal(-group, 'SIGTERM')
  for (const pid of pids) signal(pid, 'SIGTERM')
  await new Promise((r) => setTimeout(r, 1_000))
  for (const group of groups) signal(-group, 'SIGKILL')
  for (const pid of pids) signal(pid, 'SIGKILL')
  for (const command of manifest.commands ?? []) {
    // Extra teardown commands (docker compose down -v): bounded, best effort.
    const { spawnSync } = await import('node:child_process')
    spawnSync('/bin/sh', ['-c', command], { stdio: 'ignore', timeout: 60_000 })
  }
  for (const dir of manifest.dirs ?? []) rmSync(dir, { recursive: true, force: true })
  rmSync(manifestFile, { force: true })
}

for (;;) {
  if (!existsSync(manifestFile)) process.exit(0)
  if (!alive(runnerPid)) {
    await reap()
    process.exit(0)
  }
  await new Promise((r) => setTimeout(r, 200))
}
