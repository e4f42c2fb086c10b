import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { parseAllDocuments } from 'yaml'

// The Dockerfile and the systemd unit in docs/operations/deploy, checked without running them.
// There is no Docker daemon on the CI machine (`docker info`: "Cannot connect to the Docker
// daemon"), so the image is not built here; what can be checked offline is: every file COPY takes
// from the build context exists, the image is made from the package (`npm pack`, then `npm install`
// of the tarball, as packInstall.serial.test.ts proves works), it runs `shepherd run --config` with
// the config path the Kubernetes manifest mounts, its port and user are the manifest's, and the base
// image's Node satisfies package.json's engines. The unit is checked for directives systemd knows and
// for the same command. Each check has a broken input that must fail it.
const root = process.cwd()
const deploy = join(root, 'docs/operations/deploy')
const dockerfile = readFileSync(join(deploy, 'Dockerfile'), 'utf8')
const unit = readFileSync(join(deploy, 'shepherd.service'), 'utf8')
const configPath = '/etc/shepherd/engine.toml'

type Instruction = { op: string; args: string; line: number }
type Stage = { from: string; instructions: Instruction[] }

/** Instructions by stage: comments dropped, `\` continuations joined. */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const start = i
    let line = lines[i]!
    if (/^\s*(#|$)/.test(line)) continue
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]!.trim()}`
    const [, op = '', args = ''] = /^\s*(\S+)\s*(.*)$/.exec(line) ?? []
    const instruction = { op: op.toUpperCase(), args: args.trim(), line: start + 1 }
    if (instruction.op === 'FROM') stages.push({ from: instruction.args, instructions: [] })
    else stages.at(-1)?.instructions.push(instruction)
  }
  return stages
}

/** What is wrong with a Dockerfile for Shepherd, one line per finding (empty: nothing). */
function dockerfileProblems(text: string): string[] {
  const problems: string[] = []
  const stages = parseDockerfile(text)
  if (stages.length === 0) return ['no FROM']
  const final = stages.at(-1)!
  const all = stages.flatMap((s) => s.instructions)
  for (const copy of all.filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))) {
    const parts = copy.args.split(/\s+/).filter((p) => !p.startsWith('--'))
    for (const source of parts.slice(0, -1)) if (!existsSync(join(root, source))) problems.push(`line ${copy.line}: COPY ${source}: not in the build context (the repository root)`)
  }
  if (!all.some((i) => i.op === 'RUN' && /\bnpm pack\b/.test(i.args))) problems.push('no `npm pack`: the image must be made from the package')
  const install = final.instructions.find((i) => i.op === 'RUN' && /npm install\b[^&]*shepherd-\*\.tgz/.test(i.args))
  if (!install) problems.push('the final stage does not `npm install` the packed tarball (shepherd-*.tgz)')
  if (all.some((i) => /--omit=optional|--no-optional/.test(i.args))) problems.push('--omit=optional drops lmdb\'s native binding (an optional platform package)')
  const cmd = final.instructions.filter((i) => i.op === 'CMD').at(-1)
  let argv: unknown
  try {
    argv = cmd ? JSON.parse(cmd.args) : undefined
  } catch {
    argv = undefined
  }
  if (!Array.isArray(argv)) problems.push('CMD is not in exec form (JSON array): under a shell, SIGTERM would not reach the engine')
  else if (JSON.stringify(argv) !== JSON.stringify(['shepherd', 'run', '--config', configPath])) problems.push(`CMD is ${JSON.stringify(argv)}, expected ["shepherd","run","--config","${configPath}"]`)
  const expose = final.instructions.find((i) => i.op === 'EXPOSE')?.args
  if (expose !== '9100') problems.push(`EXPOSE ${expose ?? '(none)'}: expected 9100, the metrics port of the manifests`)
  const health = final.instructions.find((i) => i.op === 'HEALTHCHECK')?.args ?? ''
  if (!health.includes('127.0.0.1:9100/healthz')) problems.push('HEALTHCHECK does not ask 127.0.0.1:9100/healthz')
  if (final.instructions.find((i) => i.op === 'USER')?.args !== 'node') problems.push('the final stage does not run as the unprivileged `node` user (uid 1000, runAsUser in the StatefulSet)')
  const engines = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node
  const needed = Number(/>=\s*(\d+)/.exec(engines)?.[1])
  for (const stage of stages) {
    const major = Number(/^node:(\d+)/.exec(stage.from)?.[1])
    if (!(major >= needed)) problems.push(`FROM ${stage.from}: expected a node:<major> image with major >= ${needed} (package.json engines "${engines}")`)
  }
  return problems
}

// systemd directives of [Unit], [Service] (service, exec, kill, resource-control) and [Install]
// that a unit like ours may use; anything else is most likely a typo systemd would only warn about.
const directives: Record<string, string[]> = {
  Unit: ['Description', 'Documentation', 'Wants', 'Requires', 'After', 'Before', 'BindsTo', 'PartOf', 'Conflicts', 'ConditionPathExists', 'StartLimitIntervalSec', 'StartLimitBurst'],
  Service: [
    'Type', 'User', 'Group', 'WorkingDirectory', 'Environment', 'EnvironmentFile', 'ExecStartPre', 'ExecStart', 'ExecStartPost', 'ExecReload', 'ExecStop', 'KillSignal', 'KillMode',
    'TimeoutStartSec', 'TimeoutStopSec', 'Restart', 'RestartSec', 'StateDirectory', 'StateDirectoryMode', 'RuntimeDirectory', 'LogsDirectory', 'StandardOutput', 'StandardError',
    'SyslogIdentifier', 'LimitNOFILE', 'MemoryMax', 'MemoryHigh', 'CPUQuota', 'TasksMax', 'NoNewPrivileges', 'PrivateTmp', 'ProtectSystem', 'ProtectHome', 'ReadWritePaths',
    'ReadOnlyPaths', 'PrivateDevices', 'ProtectKernelTunables', 'ProtectKernelModules', 'ProtectControlGroups', 'RestrictAddressFamilies', 'CapabilityBoundingSet', 'UMask',
  ],
  Install: ['WantedBy', 'RequiredBy', 'Alias'],
}

/** What is wrong with a systemd unit for Shepherd, one line per finding (empty: nothing). */
function unitProblems(text: string): string[] {
  const problems: string[] = []
  const values = new Map<string, string[]>()
  let section = ''
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return
    const header = /^\[(\w+)\]$/.exec(line)
    if (header) {
      section = header[1]!
      if (!directives[section]) problems.push(`line ${index + 1}: unknown section [${section}]`)
      return
    }
    const [, key = '', value = ''] = /^([A-Za-z]+)=(.*)$/.exec(line) ?? []
    if (!key) problems.push(`line ${index + 1}: not a Key=value line: ${line}`)
    else if (!directives[section]?.includes(key)) problems.push(`line ${index + 1}: ${key}= is not a [${section}] directive this unit should use (a typo?)`)
    else values.set(key, [...(values.get(key) ?? []), value])
  })
  const one = (key: string) => values.get(key)?.at(-1)
  const exec = one('ExecStart')?.split(/\s+/) ?? []
  if (!/^\/.*\/node_modules\/\.bin\/shepherd$/.test(exec[0] ?? '') || exec.slice(1).join(' ') !== `run --config ${configPath}`)
    problems.push(`ExecStart=${one('ExecStart') ?? ''}: expected /<install dir>/node_modules/.bin/shepherd run --config ${configPath}`)
  if (one('KillSignal') !== 'SIGTERM') problems.push('KillSignal is not SIGTERM (the engine drains and flushes its cursor on SIGTERM)')
  if (!(Number(one('TimeoutStopSec')) >= 30)) problems.push('TimeoutStopSec below 30 s: the engine needs up to its 10 s grace plus the cursor flush')
  if (!one('Restart')) problems.push('no Restart=: a crashed engine stays down')
  const state = `/var/lib/${one('StateDirectory') ?? ''}`
  if (one('ProtectSystem') === 'strict' && !(one('ReadWritePaths') ?? '').split(/\s+/).includes(state)) problems.push(`ProtectSystem=strict without ReadWritePaths=${state}: the store could not be written`)
  if (!values.get('Environment')?.includes(`SHEPHERD_STATE_DIR=${state}`)) problems.push(`Environment=SHEPHERD_STATE_DIR=${state} missing (the config's state_dir)`)
  return problems
}

describe('Dockerfile (docs/operations/deploy/Dockerfile)', () => {
  test('behavior: it packs the package, installs the tarball, runs `shepherd run --config` as `node` on the manifests\' port', () => {
    expect(dockerfileProblems(dockerfile)).toEqual([])
    // The path CMD reads is the one the StatefulSet mounts the ConfigMap at.
    const sts = parseAllDocuments(readFileSync(join(deploy, 'k8s/statefulset.yaml'), 'utf8'))[0]!.toJS() as { spec: { template: { spec: { securityContext: { runAsUser: number }; containers: Array<{ volumeMounts: Array<{ name: string; mountPath: string }> }> } } } }
    const mounts = sts.spec.template.spec.containers[0]!.volumeMounts.map((m) => m.mountPath)
    expect(mounts).toContain(configPath.slice(0, configPath.lastIndexOf('/')))
    expect(sts.spec.template.spec.securityContext.runAsUser).toBe(1000)
    // The build context excludes the local install but keeps what `npm pack` needs.
    const ignored = readFileSync(join(deploy, 'Dockerfile.dockerignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))
    expect(ignored).toContain('node_modules')
    for (const needed of ['package.json', 'package-lock.json', 'bin', 'cli', 'engine', 'harness', 'modules', 'tsconfig.json', 'tsconfig.build.json', 'engine.example.toml'])
      expect(ignored.some((pattern) => pattern === needed || needed.startsWith(`${pattern}/`)), `${needed} is in the build context`).toBe(false)
  })

  test('behavior: broken Dockerfiles fail, each naming the fault', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['shell-form CMD', dockerfile.replace(/^CMD .*$/m, 'CMD shepherd run --config /etc/shepherd/engine.toml'), /CMD is not in exec form/],
      ['another config path', dockerfile.replace(`"${configPath}"]`, '"/etc/shepherd.toml"]'), /CMD is \["shepherd","run","--config","\/etc\/shepherd.toml"\]/],
      ['a COPY of a missing file', dockerfile.replace('COPY package.json package-lock.json ./', 'COPY package.json npm-shrinkwrap.json ./'), /COPY npm-shrinkwrap\.json: not in the build context/],
      ['an old Node', dockerfile.replace(/node:20-bookworm-slim$/m, 'node:18-bookworm-slim'), /FROM node:18-bookworm-slim: expected a node:<major> image with major >= 20/],
      ['optional dependencies dropped', dockerfile.replace('npm install --no-audit --no-fund /tmp', 'npm install --omit=optional --no-audit --no-fund /tmp'), /--omit=optional/],
      ['running as root', dockerfile.replace(/^USER node$/m, ''), /does not run as the unprivileged `node` user/],
      ['another port', dockerfile.replace('EXPOSE 9100', 'EXPOSE 9200'), /EXPOSE 9200: expected 9100/],
    ]
    for (const [name, broken, expected] of cases) {
      expect(broken, name).not.toBe(dockerfile)
      expect(dockerfileProblems(broken).join('\n'), name).toMatch(expected)
    }
  })
})

describe('systemd unit (docs/operations/deploy/shepherd.service)', () => {
  test('behavior: known directives only; runs `shepherd run --config`, stops with SIGTERM and time to drain, restarts on failure, may write its state directory', () => {
    expect(unitProblems(unit)).toEqual([])
  })

  test('behavior: broken units fail, each naming the fault', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['a misspelt directive', unit.replace('Restart=on-failure', 'Restrat=on-failure'), /Restrat= is not a \[Service\] directive[\s\S]*no Restart=/],
      ['another command', unit.replace(' run --config', ' serve --config'), /ExecStart=.*serve --config/],
      ['SIGKILL on stop', unit.replace('KillSignal=SIGTERM', 'KillSignal=SIGKILL'), /KillSignal is not SIGTERM/],
      ['a short stop timeout', unit.replace('TimeoutStopSec=60', 'TimeoutStopSec=5'), /TimeoutStopSec below 30 s/],
      ['a read-only state directory', unit.replace('ReadWritePaths=/var/lib/shepherd', 'ReadWritePaths=/var/lib/other'), /ReadWritePaths=\/var\/lib\/shepherd: the store could not be written/],
    ]
    for (const [name, broken, expected] of cases) {
      expect(broken, name).not.toBe(unit)
      expect(unitProblems(broken).join('\n'), name).toMatch(expected)
    }
  })
})
