import { isLoopbackAddress } from './authorizeAdmin.ts'
import { splitBind } from './splitBind.ts'

export type AdminDoorWarningParameters = {
  /** `[engine.metrics] bind`. */
  bind: string
  /** `[engine.admin] token`, when set. */
  token: string | undefined
}

/**
 * What the engine says at start about its admin door: a warning when the metrics port is bound to
 * a non-loopback address (for Prometheus) and no `[engine.admin] token` is set. The engine still
 * starts; `authorizeAdmin` then refuses every non-loopback peer (403), so the warning tells the
 * operator why `shepherd release` works only from the host itself. Undefined when there is nothing
 * to say (a loopback bind, or a token).
 *
 * @example
 * const warning = adminDoorWarning({ bind: config.engine.metrics.bind, token: config.engine.admin.token })
 * if (warning) log.warn(warning, { bind: config.engine.metrics.bind })
 */
export function adminDoorWarning({ bind, token }: AdminDoorWarningParameters): string | undefined {
  const { host } = splitBind(bind)
  if (token !== undefined || host === 'localhost' || isLoopbackAddress(host)) return undefined
  return 'metrics bind is not loopback and [engine.admin] token is unset: admin routes answer loopback clients only'
}
