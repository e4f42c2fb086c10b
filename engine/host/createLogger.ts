import type { LogFields, LogHost } from '../../modules/sdk/module/types.ts'
import { writeStdoutLine } from './stdoutLines.ts'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export type LoggerParameters = {
  level?: LogLevel
  /** Human-readable lines instead of JSON. */
  pretty?: boolean
  /** Where lines go; stdout by default (batched per event-loop turn). Tests pass a collector. */
  write?: (line: string) => void
  /** Fields on every line (module, chain). */
  bindings?: LogFields
}

export type Logger = LogHost & { child(bindings: LogFields): Logger }

function serialise(fields: LogFields): string {
  return JSON.stringify(fields, (_k, v: unknown) => {
    if (typeof v === 'bigint') return v.toString()
    if (v instanceof Error) return { name: v.name, message: v.message }
    return v
  })
}

/**
 * Structured JSON logs, one object a line: `{time, level, msg, module?, ...fields}`.
 *
 * @example
 * const log = createLogger({ level: 'info' }).child({ module: 'twap-monitor' })
 * log.info('watch created', { owner })
 */
export function createLogger({ level = 'info', pretty = false, write = writeStdoutLine, bindings = {} }: LoggerParameters = {}): Logger {
  const threshold = order[level]
  const emit = (lineLevel: LogLevel, msg: string, fields: LogFields = {}) => {
    if (order[lineLevel] < threshold) return
    const time = new Date().toISOString()
    if (pretty) {
      const { module, ...rest } = { ...bindings, ...fields }
      const extra = Object.keys(rest).length ? ` ${serialise(rest)}` : ''
      write(`${time} ${lineLevel.toUpperCase().padEnd(5)} ${module ? `[${String(module)}] ` : ''}${msg}${extra}`)
      return
    }
    write(serialise({ time, level: lineLevel, msg, ...bindings, ...fields }))
  }
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (more) => createLogger({ level, pretty, write, bindings: { ...bindings, ...more } }),
  }
}
