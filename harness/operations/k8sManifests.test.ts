import { spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap'
import { Service } from 'kubernetes-models/v1/Service'
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet'
import ts from 'typescript'
import { afterAll, describe, expect, test } from 'vitest'
import { parseAllDocuments } from 'yaml'
import { parseConfig } from '../../engine/config/loadConfig.ts'
import { zShard } from '../../modules/sdk/config/shard.ts'

// The Kubernetes manifests in docs/operations/deploy/k8s, checked offline against the Kubernetes API
// types, in two ways that catch different mistakes:
// 1. kubernetes-models' validators (generated from the API's OpenAPI schema): types, required
//    fields, enums, formats. They accept unknown fields, as the schema does.
// 2. TypeScript's excess-property check against the same package's interfaces (IStatefulSet, ...):
//    every document is compiled as an object literal of its kind, so a misspelt or misplaced field
//    (`replica:`, `port:` in a container) is an error, as `kubectl apply --validate=strict` makes it.
// Then what ties the files together: selectors match labels, volumes are mounted, the shard count
// equals the replica count, the shard derivation gives 1/N .. N/N, and the config parses.
const root = process.cwd()
const dir = join(root, 'docs/operations/deploy/k8s')
const scratch = mkdtempSync(join(tmpdir(), 'shepherd-k8s-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

const kinds = {
  'apps/v1 StatefulSet': { model: StatefulSet, module: 'kubernetes-models/apps/v1/StatefulSet', type: 'IStatefulSet' },
  'v1 Service': { model: Service, module: 'kubernetes-models/v1/Service', type: 'IService' },
  'v1 ConfigMap': { model: ConfigMap, module: 'kubernetes-models/v1/ConfigMap', type: 'IConfigMap' },
} as const
type Doc = { file: string; index: number; value: Record<string, unknown> }

/** Every document of the given YAML texts; a YAML syntax error is a problem naming the file. */
function parseManifests(files: Record<string, string>): { docs: Doc[]; problems: string[] } {
  const docs: Doc[] = []
  const problems: string[] = []
  for (const [file, text] of Object.entries(files)) {
    parseAllDocuments(text).forEach((document, index) => {
      if (document.errors.length) problems.push(`${file} #${index}: YAML: ${document.errors.map((e) => e.message).join('; ')}`)
      else if (document.contents !== null) docs.push({ file, index, value: document.toJS() as Record<string, unknown> })
    })
  }
  return { docs, problems }
}

type Typed = { set: number; doc: Doc; kind: (typeof kinds)[keyof typeof kinds] }

/**
 * Schema validation (kubernetes-models) plus the strict-field check (TypeScript), one problem line
 * per finding, for each set of files. The sets share one TypeScript program (one compile, ~1-2 s).
 */
function validateManifestSets(sets: Array<Record<string, string>>): string[][] {
  const problems: string[][] = []
  const typed: Typed[] = []
  sets.forEach((files, set) => {
    const parsed = parseManifests(files)
    problems.push(parsed.problems)
    for (const doc of parsed.docs) {
      const key = `${String(doc.value.apiVersion)} ${String(doc.value.kind)}` as keyof typeof kinds
      const kind = kinds[key]
      if (!kind) {
        problems[set]!.push(`${doc.file} #${doc.index}: kind ${key} is not one this test knows (expected one of: ${Object.keys(kinds).join(', ')})`)
        continue
      }
      try {
        new kind.model(doc.value as never).validate()
      } catch (error) {
        problems[set]!.push(`${doc.file} #${doc.index} (${key}): ${error instanceof Error ? error.message : String(error)}`)
      }
      typed.push({ set, doc, kind })
    }
  })
  for (const { set, message } of strictFieldProblems(typed)) problems[set]!.push(message)
  return problems
}

/** Compiles `const d0: IStatefulSet = {...}` etc. in memory; TypeScript reports every field the type does not have. */
function strictFieldProblems(typed: Typed[]): Array<{ set: number; message: string }> {
  if (typed.length === 0) return []
  const virtual = join(root, 'harness/operations/__manifests__.ts')
  // Two lines per document, so a diagnostic's line tells which document it is about.
  const source = typed
    .map(({ doc, kind }, i) => `import type { ${kind.type} as T${i} } from '${kind.module}'\nexport const d${i}: T${i} = ${JSON.stringify(doc.value)}\n`)
    .join('')
  const options: ts.CompilerOptions = { strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, lib: ['lib.es2023.d.ts'], skipLibCheck: true, types: [] }
  const host = ts.createCompilerHost(options)
  const getSourceFile = host.getSourceFile.bind(host)
  host.getSourceFile = (name, version, ...rest) => (name === virtual ? ts.createSourceFile(name, source, version) : getSourceFile(name, version, ...rest))
  const fileExists = host.fileExists.bind(host)
  host.fileExists = (name) => name === virtual || fileExists(name)
  const program = ts.createProgram([virtual], options, host)
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : -1
    const at = d.file?.fileName === virtual ? typed[Math.floor(line / 2)] : undefined
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ')
    // A diagnostic outside the virtual file (a broken models package) is reported in every set.
    return at ? { set: at.set, message: `${at.doc.file} #${at.doc.index} (${String(at.doc.value.kind)}): ${message}` } : { set: -1, message: `${d.file?.fileName ?? 'typescript'}: ${message}` }
  }).flatMap((p) => (p.set === -1 ? typed.map((t) => ({ set: t.set, message: p.message })) : [p]))
}

const files = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => [f, readFileSync(join(dir, f), 'utf8')]))
const only = <T>(kind: string) => {
  const found = parseManifests(files).docs.filter((d) => d.value.kind === kind)
  expect(found, `exactly one ${kind}`).toHaveLength(1)
  return found[0]!.value as T
}
type Container = { name: string; command?: string[]; args?: string[]; env?: Array<{ name: string; value?: string }>; ports?: Array<{ name?: string; containerPort: number }>; volumeMounts?: Array<{ name: string; mountPath: string }>; readinessProbe?: { httpGet?: { path?: string; port?: unknown } } }
type Sts = { metadata: { name: string; namespace?: string }; spec: { replicas: number; serviceName: string; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: { containers: Container[]; volumes?: Array<{ name: string; configMap?: { name: string } }> } }; volumeClaimTemplates: Array<{ metadata: { name: string } }> } }

describe('Kubernetes manifests (docs/operations/deploy/k8s)', () => {
  test('behavior: every document is a StatefulSet, Service or ConfigMap that passes the API schema and has no field the API type lacks', () => {
    expect(Object.keys(files).sort()).toEqual(['configmap.yaml', 'service.yaml', 'statefulset.yaml'])
    expect(validateManifestSets([files])).toEqual([[]])
  })

  test('behavior: broken manifests fail, each with a message naming the file and the fault', () => {
    const sts = files['statefulset.yaml']!
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      ['a misspelt field', { 'statefulset.yaml': sts.replace('replicas: 3', 'replica: 3') }, /statefulset\.yaml #0 \(StatefulSet\): .*'"replica"' does not exist in type 'IStatefulSetSpec'/],
      ['a field in the wrong place', { 'statefulset.yaml': sts.replace('          imagePullPolicy: IfNotPresent', '          imagePullPolicy: IfNotPresent\n          port: 9100') }, /'"port"' does not exist in type 'IContainer'/],
      ['a wrong type', { 'statefulset.yaml': sts.replace('replicas: 3', 'replicas: three') }, /statefulset\.yaml #0 \(apps\/v1 StatefulSet\): .*replicas must be integer/],
      ['a wrong enum value', { 'statefulset.yaml': sts.replace('podManagementPolicy: Parallel', 'podManagementPolicy: AllAtOnce') }, /podManagementPolicy must be equal to one of the allowed values/],
      ['a missing required field', { 'service.yaml': files['service.yaml']!.replace('      port: 9100\n', '') }, /service\.yaml #0 .*must have required property port/],
      ['an unknown kind', { 'x.yaml': 'apiVersion: apps/v1\nkind: Deploymnet\nmetadata: { name: x }\n' }, /kind apps\/v1 Deploymnet is not one this test knows/],
      ['broken YAML', { 'x.yaml': 'apiVersion: v1\nkind: [ConfigMap\n' }, /x\.yaml #0: YAML/],
    ]
    const problems = validateManifestSets(cases.map(([, broken]) => broken))
    cases.forEach(([name, , expected], i) => expect(problems[i]!.join('\n'), name).toMatch(expected))
  })

  test('behavior: the files fit together: selectors match, volumes are mounted, the config is the one mounted, SHEPHERD_SHARDS equals replicas', () => {
    const sts = only<Sts>('StatefulSet')
    const service = only<{ metadata: { name: string }; spec: { clusterIP?: string; selector: Record<string, string>; ports: Array<{ name: string; targetPort: string }> } }>('Service')
    const configMap = only<{ metadata: { name: string }; data: Record<string, string> }>('ConfigMap')
    const labels = sts.spec.template.metadata.labels
    for (const [key, value] of Object.entries(sts.spec.selector.matchLabels)) expect(labels[key], `pod label ${key}`).toBe(value)
    for (const [key, value] of Object.entries(service.spec.selector)) expect(labels[key], `service selector ${key}`).toBe(value)
    expect(sts.spec.serviceName).toBe(service.metadata.name)
    expect(service.spec.clusterIP).toBe('None')
    const [container] = sts.spec.template.spec.containers
    expect(container!.ports?.map((p) => p.name)).toContain(service.spec.ports[0]!.targetPort)
    expect(container!.readinessProbe?.httpGet?.path).toBe('/healthz')
    const mounts = new Map(container!.volumeMounts!.map((m) => [m.name, m.mountPath]))
    expect(mounts.get(sts.spec.volumeClaimTemplates[0]!.metadata.name), 'the state volume is mounted').toBe('/var/lib/shepherd')
    const configVolume = sts.spec.template.spec.volumes!.find((v) => v.configMap?.name === configMap.metadata.name)
    expect(configVolume, 'the ConfigMap is a volume').toBeDefined()
    expect(container!.args!.join(' ')).toContain(`shepherd run --config ${mounts.get(configVolume!.name)}/engine.toml`)
    const env = new Map(container!.env!.map((e) => [e.name, e.value]))
    expect(Number(env.get('SHEPHERD_SHARDS')), 'SHEPHERD_SHARDS must equal spec.replicas').toBe(sts.spec.replicas)
    expect(env.get('SHEPHERD_STATE_DIR')).toBe('/var/lib/shepherd')
  })

  test('behavior: the start command gives pod shepherd-k the shard "k+1/N" and execs `shepherd run` (run by sh with a stand-in shepherd)', () => {
    const sts = only<Sts>('StatefulSet')
    const container = sts.spec.template.spec.containers[0]!
    expect(container.command).toEqual(['/bin/sh', '-c'])
    // A stand-in `shepherd` on PATH prints what it was started with.
    const bin = join(scratch, 'bin')
    spawnSync('mkdir', ['-p', bin])
    writeFileSync(join(bin, 'shepherd'), '#!/bin/sh\necho "$SHEPHERD_SHARD $*"\n')
    chmodSync(join(bin, 'shepherd'), 0o755)
    const replicas = sts.spec.replicas
    const shards = Array.from({ length: replicas }, (_, k) => {
      const run = spawnSync('/bin/sh', ['-c', container.args![0]!], { env: { PATH: `${bin}:/usr/bin:/bin`, POD_NAME: `${sts.metadata.name}-${k}`, SHEPHERD_SHARDS: String(replicas) }, encoding: 'utf8' })
      expect(run.status, run.stderr).toBe(0)
      return run.stdout.trim()
    })
    expect(shards).toEqual(Array.from({ length: replicas }, (_, k) => `${k + 1}/${replicas} run --config /etc/shepherd/engine.toml`))
    // Every derived shard is one the modules accept; together they are 1/N .. N/N, each once.
    expect(shards.map((s) => zShard.parse(s.split(' ')[0]))).toEqual(Array.from({ length: replicas }, (_, k) => ({ index: k + 1, count: replicas })))
    // A pod name without an ordinal fails instead of running an unsharded engine.
    const bad = spawnSync('/bin/sh', ['-c', container.args![0]!], { env: { PATH: `${bin}:/usr/bin:/bin`, POD_NAME: 'shepherd', SHEPHERD_SHARDS: '3' }, encoding: 'utf8' })
    expect(bad.status).not.toBe(0)
  })

  test('behavior: the ConfigMap\'s engine.toml parses with the pod\'s environment, each sharded module gets the pod\'s shard', () => {
    const configMap = only<{ data: Record<string, string> }>('ConfigMap')
    const env = { SHEPHERD_STATE_DIR: '/var/lib/shepherd', SHEPHERD_RPC_URL: 'wss://node.example:8546', SHEPHERD_ADMIN_TOKEN: 'a-token-of-32-characters-at-least', SHEPHERD_SHARD: '2/3' }
    const config = parseConfig({ text: configMap.data['engine.toml']!, file: 'configmap.yaml:engine.toml', env })
    expect(config.engine.state_dir).toBe('/var/lib/shepherd')
    expect(config.engine.metrics).toEqual({ enabled: true, bind: '0.0.0.0:9100' })
    expect(config.engine.admin.token).toBe(env.SHEPHERD_ADMIN_TOKEN)
    expect(config.modules.map((m) => [m.name, zShard.parse(m.config.shard)])).toEqual([
      ['twap-monitor', { index: 2, count: 3 }],
      ['ethflow-watcher', { index: 2, count: 3 }],
    ])
    // Without the shard in the environment the config is refused, naming the variable.
    expect(() => parseConfig({ text: configMap.data['engine.toml']!, file: 'configmap.yaml:engine.toml', env: { ...env, SHEPHERD_SHARD: undefined } })).toThrow(/SHEPHERD_SHARD/)
  })

  test('behavior: the Kubernetes scrape job (prometheus/scrape-kubernetes.yml) keeps exactly these pods and their metrics port', () => {
    const sts = only<Sts>('StatefulSet')
    const scrape = parseAllDocuments(readFileSync(join(root, 'docs/operations/prometheus/scrape-kubernetes.yml'), 'utf8'))[0]!.toJS() as {
      scrape_configs: Array<{ kubernetes_sd_configs: Array<{ namespaces: { names: string[] } }>; relabel_configs: Array<{ source_labels?: string[]; regex?: string; action?: string }> }>
    }
    const [job] = scrape.scrape_configs
    expect(job!.kubernetes_sd_configs[0]!.namespaces.names).toEqual([sts.metadata.namespace])
    const keeps = job!.relabel_configs.filter((r) => r.action === 'keep')
    // Prometheus' service discovery turns a pod label into __meta_kubernetes_pod_label_<name>, every
    // character outside [a-zA-Z0-9_] replaced by "_"; keep regexes are anchored.
    const meta: Record<string, string | undefined> = { __meta_kubernetes_pod_container_port_name: sts.spec.template.spec.containers[0]!.ports![0]!.name }
    for (const [label, value] of Object.entries(sts.spec.template.metadata.labels)) meta[`__meta_kubernetes_pod_label_${label.replace(/[^a-zA-Z0-9_]/g, '_')}`] = value
    expect(keeps.length).toBeGreaterThanOrEqual(2)
    for (const keep of keeps) {
      const value = keep.source_labels!.map((l) => meta[l] ?? '').join(';')
      expect(new RegExp(`^(?:${keep.regex})$`).test(value), `${keep.source_labels!.join(',')} = "${value}" kept by /${keep.regex}/`).toBe(true)
    }
  })
})
