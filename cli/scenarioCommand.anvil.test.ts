import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { splitCommand } from './scenarioCommand.ts'

const bin = resolve('bin/shepherd.js')
const bot = resolve('fixtures/external-bot/bot.mjs')
const dir = mkdtempSync(join(tmpdir(), 'shepherd-scenario-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Runs the real CLI as a user would; bounded. */
function runCli(args: string[], timeoutMs = 150_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`CLI timed out; stdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-2000)}`))
    }, timeoutMs)
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('exit', (code) => {
      clearTimeout(timer)
      done({ code, stdout, stderr })
    })
  })
}

describe('shepherd scenario', () => {
  test('behavior: a built-in scenario with --subject-cmd judges the external bot, writes the report to --out and exits 0 on PASS', async () => {
    const out = join(dir, 'pass')
    const result = await runCli(['scenario', 'baseline', '--scale', 'ci', '--out', out, '--subject-cmd', `"${process.execPath}" "${bot}"`, '--ready-line', 'bot: watching'])
    expect(result.stdout).toMatch(/scenario baseline: PASS/)
    expect(result.code).toBe(0)
    const markdown = readdirSync(out, { recursive: true }).map(String).find((f) => f.endsWith('.md'))!
    const report = readFileSync(join(out, markdown), 'utf8')
    expect(report).toMatch(/\*\*Verdict: PASS\*\*/)
    expect(report).toMatch(/not measured for this subject \(external command: .*bot\.mjs\)/)
  })

  test("behavior: a user's scenario file (default export) runs and a failing verdict exits 1", async () => {
    const file = join(dir, 'my-scenario.mjs')
    // Plain data, no import: the CLI validates it with defineScenario.
    const scenario = {
      name: 'my-bot-duplicates',
      description: 'Given a 1 s devnet and a short load, when my bot posts one part twice, then the duplicates bar fails.',
      devnet: { blockTime: 1 },
      subject: { command: process.execPath, args: [bot, '--duplicate-one'], ready: { logLine: 'bot: watching' } },
      load: { senders: 1, twapPerBlock: 5, ethFlowPerBlock: 2, blocks: 6 },
    }
    // An optional named export `during` is the runner's hook: its notes reach the report.
    writeFileSync(file, `export default ${JSON.stringify(scenario)}\nexport const during = async () => ({ notes: ['my during-hook ran'] })\n`)
    const out = join(dir, 'fail')
    const result = await runCli(['scenario', file, '--scale', 'ci', '--out', out])
    expect(result.stdout).toMatch(/scenario my-bot-duplicates: FAIL/)
    expect(result.code).toBe(1)
    const json = readdirSync(out, { recursive: true }).map(String).find((f) => f.endsWith('.json'))!
    const acceptance = (JSON.parse(readFileSync(join(out, json), 'utf8')) as { acceptance: Array<{ bar: string; pass: boolean }> }).acceptance
    expect(acceptance.filter((b) => !b.pass).map((b) => b.bar)).toEqual(['Duplicates'])
    expect(readFileSync(join(out, json), 'utf8')).toContain('my during-hook ran')
  })

  test('behavior: bad input exits 2 with a clear error naming the key, what was expected and what was found, before anything starts', async () => {
    const unknown = await runCli(['scenario', 'no-such-scenario'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/<name-or-file>[\s\S]*baseline[\s\S]*"no-such-scenario"/)
    // A built-in whose verdict needs its runner is refused, not run as data.
    const crashLoop = await runCli(['scenario', 'crash-loop'])
    expect(crashLoop.code).toBe(2)
    expect(crashLoop.stderr).toMatch(/runCrashLoop\.ts; run it with: npx vitest run scenarios\/crash-loop/)
    const scale = await runCli(['scenario', 'baseline', '--scale', 'huge'])
    expect(scale.code).toBe(2)
    expect(scale.stderr).toMatch(/--scale[\s\S]*ci or full[\s\S]*huge/)
    const pipe = await runCli(['scenario', 'baseline', '--subject-cmd', 'node bot.mjs | tee log'])
    expect(pipe.code).toBe(2)
    expect(pipe.stderr).toMatch(/--subject-cmd[\s\S]*sh -c/)
    const badFile = join(dir, 'bad.mjs')
    writeFileSync(badFile, `export default { name: 'bad', description: 'd', devnet: { blockTime: 1 }, subject: { command: 'node' } }\n`)
    const bad = await runCli(['scenario', badFile])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/bad\.mjs[\s\S]*subject\.ready must be/)
  })

  test("behavior: shepherd replay runs a user's module file on a cassette (exit 0), and a module that throws fails it (exit 1)", async () => {
    const good = join(dir, 'my-alert.ts')
    writeFileSync(good, `export { default } from ${JSON.stringify(resolve('modules/price-alert/index.ts'))}\n`)
    const config = '{"threshold":"2500","direction":"below","hysteresis":"50"}'
    const ok = await runCli(['replay', 'fixtures/devnet-sepolia.ndjson.gz', '--module-file', good, '--module-config', config, '--orderbook', 'accept-all'])
    expect(ok.stdout).toMatch(/\| my-alert \| 3 \|/)
    expect(ok.code).toBe(0)
    const broken = join(dir, 'broken-alert.ts')
    writeFileSync(broken, `import base from ${JSON.stringify(resolve('modules/price-alert/index.ts'))}\nexport default { ...base, async onBlock() { throw new Error('my bug') } }\n`)
    const failed = await runCli(['replay', 'fixtures/devnet-sepolia.ndjson.gz', '--module-file', broken, '--module-config', config, '--orderbook', 'accept-all'])
    expect(failed.stdout).toMatch(/\*\*FAIL\*\*/)
    expect(failed.code).toBe(1)
    const missing = await runCli(['replay', 'fixtures/devnet-sepolia.ndjson.gz', '--module-file', join(dir, 'nope.ts')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/--module-file[\s\S]*nope\.ts/)
  })
})

describe('splitCommand', () => {
  test('behavior: splits like a shell (quotes, escapes), keeps $VAR literal, refuses operators and globs', () => {
    expect(splitCommand(`node "my bot.mjs" --stall-blocks=30 'a b' c\\ d`)).toEqual(['node', 'my bot.mjs', '--stall-blocks=30', 'a b', 'c d'])
    expect(splitCommand('python3 bot.py --rpc $SHEPHERD_RPC_URL')).toEqual(['python3', 'bot.py', '--rpc', '$SHEPHERD_RPC_URL'])
    expect(() => splitCommand('node a.mjs && rm -rf x')).toThrow(/Bad --subject-cmd/)
    expect(() => splitCommand('node *.mjs')).toThrow(/Bad --subject-cmd/)
    expect(() => splitCommand('   ')).toThrow(/Bad --subject-cmd/)
    expect(existsSync(bot)).toBe(true)
  })
})
