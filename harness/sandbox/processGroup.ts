import { readdirSync, readFileSync } from 'node:fs'

/**
 * The live (not zombie) processes of a process group, read from /proc. A group with none left is
 * gone: what "the whole process tree ended" means for a command started as a group leader.
 *
 * @example
 * processGroupMembers(child.pid!) // [4242, 4243] while the command and its children run
 */
export function processGroupMembers(pgid: number): number[] {
  const members: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // "pid (comm) S ppid pgrp ...": fields after the last ')'.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(entry))
    } catch {
      // The process ended while we read: not a member any more.
    }
  }
  return members
}

export type KillProcessGroupParameters = {
  /** How long the group gets after SIGTERM before SIGKILL. Default 3 s. */
  graceMs?: number
}

/**
 * Ends a whole process group (a command and every child it started): SIGTERM, then SIGKILL to
 * whatever is left after the grace period. Resolves once no live member is left (bounded).
 *
 * @example
 * const child = spawn('sh', ['-c', command], { detached: true })
 * await killProcessGroup(child.pid!)
 */
export async function killProcessGroup(pgid: number, { graceMs = 3_000 }: KillProcessGroupParameters = {}): Promise<{ forced: boolean; left: number[] }> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pgid, name)
    } catch {
      // ESRCH: the group is already gone.
    }
  }
  if (processGroupMembers(pgid).length === 0) return { forced: false, left: [] }
  signal('SIGTERM')
  const deadline = Date.now() + graceMs
  while (Date.now() < deadline && processGroupMembers(pgid).length) await new Promise((r) => setTimeout(r, 50))
  let forced = false
  if (processGroupMembers(pgid).length) {
    forced = true
    signal('SIGKILL')
    const hard = Date.now() + 2_000
    while (Date.now() < hard && processGroupMembers(pgid).length) await new Promise((r) => setTimeout(r, 50))
  }
  return { forced, left: processGroupMembers(pgid) }
}
