import type { SandboxService } from './provisionSandbox.ts'

/**
 * One sandbox run, as `--json` writes it and `report.url` receives it. Its JSON schema is
 * `harness/sandbox/result.schema.json` (tests validate every fixture's result against it).
 */
export type SandboxResult = {
  schema: 'shepherd.sandbox.result/1'
  name: string
  repo: { path: string; commit: string | null }
  project: string
  dir: string
  startedAt: string
  durationMs: number
  stack: SandboxService[]
  healthChecks: Array<{ name: string; strategy: string; ready: boolean; readyInMs?: number; error?: string }>
  test: {
    command: string
    exitCode: number | null
    signal: string | null
    timedOut: boolean
    timeoutMs: number
    durationMs: number
    outputTail: string[]
    left: number[]
  } | null
  teardown: { policy: 'always' | 'on_success' | 'never'; keep: boolean; steps: Array<{ step: string; ok: boolean; error?: string }>; dirRemoved: boolean; ok: boolean }
  report: { url: string; delivered: boolean; attempts: number; status?: number; error?: string } | null
  error?: string
  /** Set by `--host`: where the run happened and whether its remote folder was removed. */
  remote?: { host: string; dir: string; localRepo: string; removed: boolean }
  verdict: { pass: boolean; reason: string }
}
