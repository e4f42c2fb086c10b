import { describe, expect, test } from 'vitest'
import { ConfigError } from '../../engine/errors/config.ts'
import { resolveLoadOptions } from './loadOptions.ts'
import { parseLoadArgs } from './parseLoadArgs.ts'

describe('parseLoadArgs', () => {
  test('behavior: maps every flag onto the load options', () => {
    const parsed = parseLoadArgs(['--rpc-url', 'http://127.0.0.1:9545', '--senders', '10', '--twap', '5', '--ethflow', '0', '--blocks', '20', '--seed', 'ci', '--twap-parts', '3', '--twap-interval', '30', '--quiet'])
    expect(parsed).toEqual({
      help: false,
      quiet: true,
      options: { rpcUrl: 'http://127.0.0.1:9545', senders: 10, twapPerBlock: 5, ethFlowPerBlock: 0, blocks: 20, seed: 'ci', twap: { n: 3, t: 30 } },
    })
  })

  test('behavior: no flags gives the local node and the library defaults', () => {
    expect(parseLoadArgs([]).options).toEqual({ rpcUrl: 'http://127.0.0.1:8545' })
  })

  test.each([
    [['--senders', '0'], '--senders', 'an integer >= 1'],
    [['--senders', 'ten'], '--senders', 'an integer >= 1'],
    [['--blocks', '1.5'], '--blocks', 'an integer >= 1'],
    [['--twap=-1'], '--twap', 'an integer >= 0'],
    [['--twap-parts', '1'], '--twap-parts', 'an integer >= 2'],
    [['--rpc-url', 'ftp://x'], '--rpc-url', 'an http(s) URL'],
    [['--twap', '0', '--ethflow', '0'], '--twap/--ethflow', 'at least one'],
  ])('behavior: %j is refused naming the flag', (argv, flag, expected) => {
    const error = (() => {
      try {
        parseLoadArgs(argv)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).message).toContain(`key: ${flag}`)
    expect((error as ConfigError).message).toContain(expected)
  })

  test('behavior: an unknown flag is a ConfigError with the usage', () => {
    expect(() => parseLoadArgs(['--workers', '3'])).toThrow(/Unknown option '--workers'/)
    expect(() => parseLoadArgs(['--workers', '3'])).toThrow(ConfigError)
  })
})

describe('resolveLoadOptions', () => {
  test('behavior: fills defaults that keep a TWAP inside a 20-block run', () => {
    const o = resolveLoadOptions({ rpcUrl: 'http://127.0.0.1:8545' })
    expect(o).toMatchObject({ senders: 2, twapPerBlock: 3, ethFlowPerBlock: 3, blocks: 10, twap: { n: 4, t: 5, span: 0 } })
    expect(o.twap.n * o.twap.t).toBeLessThanOrEqual(20)
  })

  test('behavior: bad options are refused naming the option', () => {
    expect(() => resolveLoadOptions({ rpcUrl: 'http://127.0.0.1:8545', twap: { span: 10, t: 5 } })).toThrow(/twap.span[\s\S]*at most twap.t/)
    expect(() => resolveLoadOptions({ rpcUrl: 'http://127.0.0.1:8545', maxFeePerGas: 0n })).toThrow(/maxFeePerGas/)
    expect(() => resolveLoadOptions({ rpcUrl: '127.0.0.1:8545' })).toThrow(/rpcUrl/)
  })

  test('behavior: EthFlow orders stay inside the orderbook\'s 1-year horizon; owners are set up by default', () => {
    const o = resolveLoadOptions({ rpcUrl: 'http://127.0.0.1:8545' })
    expect(o).toMatchObject({ ethFlowValiditySeconds: 1800, ownerSetup: true })
    expect(resolveLoadOptions({ rpcUrl: 'http://127.0.0.1:8545', ethFlowValiditySeconds: 31_536_000 }).ethFlowValiditySeconds).toBe(31_536_000)
    expect(() => resolveLoadOptions({ rpcUrl: 'http://127.0.0.1:8545', ethFlowValiditySeconds: 31_536_001 })).toThrow(/ethFlowValiditySeconds[\s\S]*1 year/)
    expect(() => resolveLoadOptions({ rpcUrl: 'http://127.0.0.1:8545', ethFlowValiditySeconds: 0 })).toThrow(/ethFlowValiditySeconds/)
  })
})

describe('owner and validity flags', () => {
  test('behavior: --eoa-owners turns the owner setup off and --ethflow-validity sets the EthFlow validity; a bad value names the flag', () => {
    expect(parseLoadArgs(['--eoa-owners', '--ethflow-validity', '600']).options).toMatchObject({ ownerSetup: false, ethFlowValiditySeconds: 600 })
    expect(parseLoadArgs([]).options.ownerSetup).toBeUndefined()
    expect(() => parseLoadArgs(['--ethflow-validity', 'soon'])).toThrow(/--ethflow-validity/)
  })
})

describe('the appData mix option', () => {
  test('behavior: --app-data-orderbook turns the mix on at that orderbook; a bad URL is refused naming the flag and the option', () => {
    expect(parseLoadArgs(['--app-data-orderbook', 'http://127.0.0.1:8080']).options.appData).toEqual({ orderbookUrl: 'http://127.0.0.1:8080' })
    expect(parseLoadArgs([]).options.appData).toBeUndefined()
    expect(() => parseLoadArgs(['--app-data-orderbook', 'localhost:8080'])).toThrow(/--app-data-orderbook/)
    expect(() => resolveLoadOptions({ rpcUrl: 'http://127.0.0.1:8545', appData: { orderbookUrl: 'nope' } })).toThrow(/appData.orderbookUrl[\s\S]*an http\(s\) URL/)
  })
})
