import { parseArgs } from 'node:util'
import { ConfigError } from '../../engine/errors/config.ts'
import { startDevnet } from './startDevnet.ts'
import { startReaper } from '../sandbox/startReaper.ts'

/**
 * `shepherd devnet [--port N] [--block-time S]`: starts the embedded devnet (Anvil with CoW Protocol
 * at its Sepolia addresses) on 127.0.0.1 and keeps it running until SIGINT/SIGTERM.
 */
export async function devnetCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, 'block-time': { type: 'string', default: '1' } },
    strict: true,
  })
  const port = values.port === undefined ? undefined : Number(values.port)
  const blockTime = Number(values['block-time'])
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536))
    throw new ConfigError('Invalid --port', { file: '(command line)', key: '--port', expected: 'an integer 1-65535', found: String(values.port) })
  if (!(blockTime > 0))
    throw new ConfigError('Invalid --block-time', { file: '(command line)', key: '--block-time', expected: 'seconds > 0, e.g. 1 or 0.5', found: String(values['block-time']) })
  const net = await startDevnet({ port, blockTime })
  // A SIGKILLed `shepherd devnet` runs no exit hook: the reaper (its own detached process) ends Anvil then.
  const reaper = startReaper()
  reaper.track({ pid: net.pid })
  reaper.track({ dir: net.cachePath })
  console.log(JSON.stringify({ rpcUrl: net.rpcUrl, wsUrl: net.wsUrl, chainId: net.chainId, addresses: net.addresses }, null, 2))
  console.log(`devnet ready: ${net.rpcUrl} (Ctrl-C to stop)`)
  // Started through a wrapper (`npx shepherd devnet`), a SIGTERM to the wrapper's PID ends the
  // wrapper only: this process is re-parented. A changed parent PID means whoever started us is
  // gone, so stop as on SIGTERM.
  const parent = process.ppid
  let orphaned: NodeJS.Timeout | undefined
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
    orphaned = setInterval(() => {
      if (process.ppid !== parent) {
        console.log(`devnet: parent process ${parent} is gone; stopping`)
        resolve()
      }
    }, 500)
  })
  clearInterval(orphaned)
  await net.stop()
  reaper.release()
  return 0
}
