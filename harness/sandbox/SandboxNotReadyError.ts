import { ShepherdError } from '../../modules/sdk/errors/base.ts'

/**
 * A readiness check did not pass within its timeout. Names the check, the strategy and carries the
 * last thing it saw (an HTTP answer, output lines, a connection error, a command's output).
 *
 * @example
 * throw new SandboxNotReadyError('bot', 'GET http://127.0.0.1:4000/health answers 2xx', 30_000, ['HTTP 503 starting'])
 */
export class SandboxNotReadyError extends ShepherdError {
  override name = 'SandboxNotReadyError'
  readonly check: string
  readonly last: readonly string[]
  constructor(check: string, strategy: string, timeoutMs: number, last: readonly string[]) {
    super(`${check} was not ready within ${timeoutMs / 1000} s (${strategy})`, {
      details: last.length ? ['last output:', ...last.map((l) => `  ${l.slice(0, 500)}`)] : ['last output: none'],
      hint: 'Each check has its own timeout (seconds) in e2e/e2e.yml; the service logs are in the sandbox folder (see the runbook).',
    })
    this.check = check
    this.last = last
  }
}
