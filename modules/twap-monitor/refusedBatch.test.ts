// A background post whose marker lands in a block's store batch that lmdb refuses: the engine's real
// store and supervisor around the module (test code may reach across the layers).
import { keccak256, toHex } from 'viem'
import { expect, test } from 'vitest'
import { createInProcessRunner } from '../../engine/runner/createInProcessRunner.ts'
import { createSupervisedRunner } from '../../engine/supervisor/createSupervisedRunner.ts'
import { useTempStore } from '../../engine/testing/useTempStore.ts'
import { pollTwap } from '../../harness/twap/model.ts'
import { computeUid, type Host, type MockCall, type ModuleDefinition } from '../sdk/index.ts'
import twapMonitor from './index.ts'
import { CHAIN_ID, OWNER, blockAt, createdLog, modelAnswer, polledStaticInput, pollRevert, timeOf, twapData, twapParams } from './testing/fixtures.ts'
import { POLL, config, mockHostsForEachTest } from './testing/hosts.ts'
import { submissionQueueOf } from './submissionQueue.ts'

const hosts = mockHostsForEachTest()
const stores = useTempStore('shepherd-twap-refused-')
// The pass never waits for its posts: they complete in the background, during later blocks.
const background = { ...config, submitWaitMs: 0 }
const data = twapData({ t: 3600n })
const params = twapParams(data)
// A second watch that is polled every block (it answers PollTryNextBlock): block 11 has a multicall.
const ticking = twapParams(twapData({ t: 3600n, partSellAmount: 5n }), keccak256(toHex('ticking')))
const part = pollTwap({ data, now: timeOf(10n) })
if (part.kind !== 'order') throw new Error('model')
const uid = computeUid(CHAIN_ID, part.order, OWNER)

test('behavior: a background post whose marker lands in a block batch the store refuses is not posted again when that block is redone, and its marker is stored', async () => {
  // lmdb refuses the first transaction holding the part's marker (a failed disk write).
  let refusals = 0
  const store = stores.open({
    injectWriteFault: ({ key }) => {
      if (key === `submitted:${uid}` && refusals++ === 0) throw new Error('ENOSPC: injected')
    },
  })
  const mock = hosts()
  // The post is held until block 11's polls are under way: it completes while block 11's batch is open.
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  mock.cowApi.onSubmit(async () => (await opened, uid), { times: 1 })
  mock.chain.onMulticall(POLL, async (call: MockCall) => {
    if (polledStaticInput(call) === ticking.staticInput) {
      if (call.blockNumber === 11n) {
        open()
        await new Promise((resolve) => setTimeout(resolve, 50)) // block 11 is still being handled
      }
      return pollRevert('PollTryNextBlock', ['tick'])
    }
    return modelAnswer(call)
  })
  const host: Host = { ...mock.host, store: store.forModule('twap-monitor') }
  const subscriptions = typeof twapMonitor.subscriptions === 'function' ? twapMonitor.subscriptions(background) : twapMonitor.subscriptions!
  const loaded = { definition: twapMonitor as ModuleDefinition<unknown>, config: background, subscriptions }
  const runner = createSupervisedRunner({
    name: 'twap-monitor',
    subscriptions: loaded.subscriptions,
    start: () => createInProcessRunner({ name: 'twap-monitor', module: loaded, host }),
    store,
    log: mock.log,
    sleep: async () => {},
    supervisor: { backoff_initial_ms: 1 },
  })
  await runner.init()
  const handle = async (event: Parameters<typeof runner.handle>[0]) => (await runner.handle(event))?.stored
  await handle({ kind: 'logs', block: blockAt(10n), logs: [createdLog(params, 10n), createdLog(ticking, 10n, { logIndex: 1 })] })
  await handle({ kind: 'block', block: blockAt(10n) }) // polls the part; its post waits in the background
  await handle({ kind: 'block', block: blockAt(11n) }) // the post completes inside; the batch is refused; block 11 runs again
  await handle({ kind: 'block', block: blockAt(12n) })
  await submissionQueueOf(host, 1).idle()
  await handle({ kind: 'block', block: blockAt(13n) })

  expect(refusals).toBeGreaterThanOrEqual(1)
  expect(mock.logs.some((entry) => entry.message.includes('store refused the writes'))).toBe(true)
  expect(mock.cowApi.submissions).toHaveLength(1)
  await runner.stop()
  await store.close()
  // What lmdb holds after a restart: the marker, from the block that posted it.
  const reopened = stores.open()
  expect(await reopened.forModule('twap-monitor').get(`submitted:${uid}`)).toMatchObject({ block: 10n })
})
