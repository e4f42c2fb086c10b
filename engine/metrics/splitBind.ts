/**
 * Splits an `[engine.metrics] bind` (`host:port`, an IPv6 host in brackets or not) into its host
 * (brackets removed) and port.
 *
 * @example
 * splitBind('[::1]:9100') // { host: '::1', port: 9100 }
 * splitBind('0.0.0.0:9100') // { host: '0.0.0.0', port: 9100 }
 */
export function splitBind(bind: string): { host: string; port: number } {
  const separator = bind.lastIndexOf(':')
  return { host: bind.slice(0, separator).replace(/^\[|\]$/g, ''), port: Number(bind.slice(separator + 1)) }
}
