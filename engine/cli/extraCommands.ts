import { ShepherdError } from '../errors/base.ts'

/** `shepherd orderbook-stub`: serves the harness's orderbook stub over HTTP (harness/orderbook). */
export async function orderbookStubCommand(argv: string[]): Promise<number> {
  const stub = await import('../../harness/orderbook/index.ts').catch((error: unknown) => {
    throw new ShepherdError('The orderbook stub is not available', { cause: error })
  })
  return stub.orderbookStubCommand(argv)
}
