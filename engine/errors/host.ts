import { ShepherdError } from '../../modules/sdk/errors/base.ts'

/**
 * A module asked `host.chain.request` for a JSON-RPC method outside its allowlist (the read-only
 * default plus its `allow_methods`). No retry helps: the config must allow it.
 *
 * @example
 * throw new ChainMethodNotAllowedError({ module: 'stop-loss', method: 'eth_sendTransaction', key: 'modules.2.allow_methods' })
 */
export class ChainMethodNotAllowedError extends ShepherdError {
  override name = 'ChainMethodNotAllowedError'
  readonly module: string
  readonly method: string

  constructor(parameters: { module: string; method: string; key: string }) {
    super(`Module "${parameters.module}" may not send ${parameters.method} through host.chain.request`, {
      details: [`module: ${parameters.module}`, `method: ${parameters.method}`, `config key: ${parameters.key}`, 'allowed by default: read-only methods (eth_call, eth_getLogs, eth_getBalance, ...)'],
      hint: `If this module must send it, add "${parameters.method}" to ${parameters.key} (allow_methods of the [[modules]] entry "${parameters.module}" in engine.toml).`,
      action: 'stop',
    })
    this.module = parameters.module
    this.method = parameters.method
  }
}
