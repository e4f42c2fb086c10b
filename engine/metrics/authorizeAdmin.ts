import { createHash, timingSafeEqual } from 'node:crypto'

export type AuthorizeAdminParameters = {
  /** The connection's remote address (`request.socket.remoteAddress`), not the address the server is bound to. */
  remoteAddress: string | undefined
  /** The request's `Authorization` header. */
  authorization: string | undefined
  /** `[engine.admin] token`, when configured. */
  token: string | undefined
}

/** Why an admin request is refused: 401 (token missing or wrong) or 403 (not loopback, no token configured). */
export type AdminRefusal = { status: 401 | 403; error: string }

/**
 * True for a loopback peer: 127.0.0.0/8, ::1, and IPv4-mapped 127.x (a dual-stack socket reports
 * `::ffff:127.0.0.1`).
 *
 * @example
 * isLoopbackAddress('::ffff:127.0.0.1') // true
 */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false
  return address === '::1' || /^127\.\d+\.\d+\.\d+$/.test(address) || /^::ffff:127\.\d+\.\d+\.\d+$/i.test(address)
}

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest()

/**
 * Decides whether an admin request may proceed. Without a token, only loopback peers (decided by
 * the connection's remote address) may: a metrics port bound to a public address for Prometheus
 * must not let anyone on the network release modules. With a token, every request needs
 * `Authorization: Bearer <token>`, from anywhere; the comparison is in constant time (SHA-256
 * digests of equal length, `timingSafeEqual`), so the answer time does not leak the token.
 * Behind a reverse proxy on the same host every peer is loopback: set a token there.
 *
 * @example
 * const refusal = authorizeAdmin({ remoteAddress: req.socket.remoteAddress, authorization: req.headers.authorization, token })
 * if (refusal) return reply(refusal.status, { error: refusal.error })
 */
export function authorizeAdmin({ remoteAddress, authorization, token }: AuthorizeAdminParameters): AdminRefusal | undefined {
  if (token === undefined) {
    if (isLoopbackAddress(remoteAddress)) return undefined
    return { status: 403, error: `admin routes answer loopback clients only (this request came from ${remoteAddress ?? 'an unknown address'}); set [engine.admin] token to use them over the network` }
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
  if (!match) return { status: 401, error: 'admin routes need Authorization: Bearer <token> (the [engine.admin] token)' }
  if (!timingSafeEqual(digest(match[1]!), digest(token))) return { status: 401, error: 'wrong admin token' }
  return undefined
}
