import { createServer } from 'node:net'

/**
 * A TCP port free on 127.0.0.1 right now (the OS picks it). prool does not resolve `port: 0`, so
 * we ask the OS, close, and hand the number to Anvil.
 *
 * @example
 * const port = await findFreePort()
 */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : undefined
      server.close(() => (port === undefined ? reject(new Error('The OS gave no port for 127.0.0.1:0')) : resolve(port)))
    })
  })
}

/**
 * True when `port` can be listened on at 127.0.0.1 right now.
 *
 * @example
 * if (!(await isPortFree(8545))) throw new Error('8545 is taken')
 */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.unref()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}
