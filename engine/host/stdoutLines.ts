/**
 * Log lines for stdout, written once per event-loop turn instead of once per line. At saturation a
 * module logs hundreds of lines a second; a write per line was the largest single cost of the
 * engine's main thread after the worker messages (0.8 s of 29 s busy in a 100-block run).
 * Lines keep their order; what is pending is written synchronously when the process exits, so a
 * crash or `process.exit` loses nothing (a SIGKILL can lose the current turn's lines).
 */
let pending: string[] = []
let scheduled = false
let hooked = false

function flush(): void {
  scheduled = false
  if (pending.length === 0) return
  const chunk = pending.join('')
  pending = []
  process.stdout.write(chunk)
}

/**
 * Queues one line (a newline is added) for stdout.
 *
 * @example
 * writeStdoutLine(JSON.stringify({ level: 'info', msg: 'started' }))
 */
export function writeStdoutLine(line: string): void {
  pending.push(`${line}\n`)
  // A burst larger than this goes out at once rather than growing the buffer without bound.
  if (pending.length >= 4096) return flush()
  if (!scheduled) {
    scheduled = true
    setImmediate(flush)
  }
  if (!hooked) {
    hooked = true
    process.on('exit', flush)
  }
}
