import { describe, expect, test } from 'vitest'
import { defineScenario, type ScenarioDefinition } from '../defineScenario.ts'
import { describeSubject } from './subjectTypes.ts'

const base = { name: 's', description: 'd', devnet: { blockTime: 1 } }
const subject = { command: 'node', args: ['bot.mjs'], ready: { logLine: 'ready' } }

describe('defineScenario: subject', () => {
  test('behavior: an external subject needs no engine block (it defaults to no modules); the engine default needs one', () => {
    const definition = defineScenario({ ...base, subject })
    expect(definition.engine).toEqual({ modules: [] })
    expect(definition.subject).toBe(subject)
    expect(() => defineScenario(base as never)).toThrow('Scenario "s": engine must be { modules: [...] } unless subject is an external command, found nothing')
    const full: ScenarioDefinition = { ...base, engine: { modules: [] }, subject: { kind: 'engine' } }
    expect(defineScenario(full)).toBe(full)
  })

  const badSubjects: Array<[string, unknown, string]> = [
    ['not an object', 'node bot.mjs', "subject. must be { kind: 'engine' } or { command, args?, env?, cwd?, ready, stop? }, found \"node bot.mjs\""],
    ['no command', { ready: { afterMs: 1 } }, 'subject.command must be a non-empty string (an executable, run without a shell), found nothing'],
    ['args not strings', { ...subject, args: ['a', 1] }, 'subject.args must be an array of strings, found ["a",1]'],
    ['env not strings', { ...subject, env: { A: 1 } }, 'subject.env must be an object of string values, found {"A":1}'],
    ['bad stop', { ...subject, stop: 'SIGKILL' }, 'subject.stop must be "SIGTERM" or "SIGINT", found "SIGKILL"'],
    ['no ready', { command: 'node' }, 'subject.ready must be { url: "http://..." } or { logLine: "text" | /regex/ } or { afterMs: number }, found nothing'],
    ['two ready kinds', { ...subject, ready: { logLine: 'x', afterMs: 1 } }, 'subject.ready must be exactly one of'],
    ['ready url not http', { ...subject, ready: { url: 'localhost:8080' } }, 'subject.ready.url must be an http(s):// URL, found "localhost:8080"'],
    ['ready afterMs negative', { ...subject, ready: { afterMs: -1 } }, 'subject.ready.afterMs must be a number of milliseconds in [0, 600000], found -1'],
    ['bad kind', { ...subject, kind: 'docker' }, 'subject.kind must be "engine" or "external", found "docker"'],
    ['bad timeout', { ...subject, readyTimeoutMs: 0 }, 'subject.readyTimeoutMs must be a number of milliseconds in (0, 600000], found 0'],
  ]
  test.each(badSubjects)('behavior: a subject with %s is refused naming the scenario, the key, what was expected and what was found', (_, bad, message) => {
    expect(() => defineScenario({ ...base, subject: bad as never })).toThrow(`Scenario "s": ${message}`)
  })

  test('behavior: the report names the subject: our engine with its modules, or the command quoted where needed', () => {
    expect(describeSubject(undefined, [{ name: 'twap-monitor' }])).toBe('Shepherd engine (twap-monitor)')
    expect(describeSubject({ command: 'python3', args: ['my bot.py', '--fast'], ready: { afterMs: 0 } })).toBe('external command: python3 "my bot.py" --fast')
  })
})
