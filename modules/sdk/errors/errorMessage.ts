/**
 * The short message of anything thrown, on one line, for a log field, a detail line or an error
 * body: `shortMessage` when the value has one (a `ShepherdError`, a viem error: their `message`
 * carries details and a hint over several lines), else the first line of `message`, named by the
 * error's class when that says more than `Error` (`TypeError: x is not a function`), else
 * `String(error)`. Never throws. The one helper for this; write no `error instanceof Error ? ... : String(error)`.
 *
 * @param error - Anything a `catch` caught: an Error, a viem or Shepherd error, a string, an RPC error object.
 * @returns One line.
 *
 * @example
 * import { errorMessage } from 'shepherd/sdk'
 * try {
 *   await host.cowApi.submitOrder(chainId, order)
 * } catch (error) {
 *   host.log.warn('order post failed', { error: errorMessage(error) })
 * }
 */
export function errorMessage(error: unknown): string {
  if (typeof error !== 'object' || error === null) return safeString(error)
  const shortMessage = read(error, 'shortMessage')
  if (typeof shortMessage === 'string' && shortMessage !== '') return shortMessage
  const message = read(error, 'message')
  if (typeof message !== 'string') return safeString(error)
  const line = message.split('\n', 1)[0]!
  if (!(error instanceof Error) || error.name === 'Error' || error.name === '') return line || safeString(error)
  if (line === '') return error.name
  return line.startsWith(`${error.name}:`) ? line : `${error.name}: ${line}`
}

// Never throws, whatever was thrown: a catch block that fails while describing an error loses both.
function read(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key]
  } catch {
    return undefined // a throwing getter or a revoked proxy
  }
}

function safeString(value: unknown): string {
  try {
    return String(value)
  } catch {
    return Object.prototype.toString.call(value) // an object without a prototype or with a throwing toString
  }
}
