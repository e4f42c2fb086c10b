import { readFileSync } from 'node:fs'

// Anvil children still alive, by PID. One 'exit' hook for all of them (not one per devnet, which
// would trip Node's max-listeners warning in a long test file).
const alive = new Map<number, (() => void) | undefined>()
let hooked = false

function killAll(): void {
  for (const [pid, cleanup] of alive) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // Already gone: nothing to do.
    }
    try {
      cleanup?.()
    } catch {
      // Exiting: a directory left behind is all that is lost, and the temp dir's owner sees it.
    }
  }
  alive.clear()
}

/**
 * Remembers a child PID so it is SIGKILLed when this Node process exits, even if a test failed or
 * timed out before its `stop()`, and then runs its `cleanup` (synchronous: an exit hook cannot
 * wait), e.g. removing the child's cache directory. Returns the function that forgets it (call it
 * after a clean stop, which cleans up itself).
 *
 * @example
 * const untrack = trackChildProcess(child.pid, () => cache.remove())
 * // ... later, once stopped:
 * untrack()
 */
export function trackChildProcess(pid: number, cleanup?: () => void): () => void {
  if (!hooked) {
    hooked = true
    process.on('exit', killAll)
  }
  alive.set(pid, cleanup)
  return () => alive.delete(pid)
}

/**
 * True while a process with this PID runs. A zombie (exited, not yet reaped: what an orphaned
 * Anvil becomes under an init that does not reap, as in this sandbox) counts as gone.
 *
 * @example
 * isProcessAlive(pid) // false once the devnet stopped
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    // EPERM: it exists but is not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..."; the state letter follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return true
  }
}
