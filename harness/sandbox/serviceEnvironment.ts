import type { ServiceValues } from './expandVariables.ts'

/**
 * The environment naming every service: `<NAME>_PORT` and `<NAME>_URL` for each (name upper-cased,
 * `-` as `_`), plus `DEVNET_RPC_URL` / `DEVNET_WS_URL` for the devnet, `SANDBOX_DIR` and
 * `SANDBOX_PROJECT`. What the test command and every process get.
 *
 * @example
 * serviceEnvironment({ 'my-bot': { port: 4000, url: 'http://127.0.0.1:4000' } }, { dir: '/tmp/s', project: 'p' })
 * // { MY_BOT_PORT: '4000', MY_BOT_URL: 'http://127.0.0.1:4000', SANDBOX_DIR: '/tmp/s', SANDBOX_PROJECT: 'p' }
 */
export function serviceEnvironment(services: ServiceValues, sandbox: { dir: string; project: string }): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [name, fields] of Object.entries(services))
    for (const [field, value] of Object.entries(fields)) env[`${name.toUpperCase().replaceAll('-', '_')}_${field.toUpperCase()}`] = String(value)
  env.SANDBOX_DIR = sandbox.dir
  env.SANDBOX_PROJECT = sandbox.project
  return env
}
