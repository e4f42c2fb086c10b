// The harness's head watcher, in its own worker thread (started by startBlockClock.ts). It
// subscribes to newHeads over WebSocket and stamps each block with the wall clock the moment the
// node's notification arrives here, so a busy main thread (the load generator, scrapes, the stub)
// cannot delay the start of a block-to-submission measurement. Plain JavaScript: a worker runs
// without the TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads'
import WebSocket from 'ws'

const { wsUrl, maxReconnects = 20 } = workerData
let last // the highest block number stamped so far (bigint)
let reconnects = 0

function post(message) {
  parentPort.postMessage(message)
}

function stamp(number, timestamp) {
  const seenAt = Date.now()
  if (last === undefined) last = number - 1n
  // A notification can skip numbers (after a reconnect): the skipped blocks are stamped now too,
  // and counted, so the report can say that their start times are late.
  for (let n = last + 1n; n <= number; n++) post({ kind: 'block', number: n.toString(), seenAt, timestamp: n === number ? timestamp : undefined, gap: n !== number })
  if (number > last) last = number
}

function connect() {
  const socket = new WebSocket(wsUrl)
  socket.on('open', () => {
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_subscribe', params: ['newHeads'] }))
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'eth_blockNumber', params: [] }))
  })
  socket.on('message', (data) => {
    let message
    try {
      message = JSON.parse(data.toString())
    } catch {
      return post({ kind: 'error', message: 'unparsable message from the node' })
    }
    if (message.id === 1 && message.result) post({ kind: 'subscribed' })
    else if (message.id === 2 && typeof message.result === 'string') {
      // The head at subscription time: the first block stamped is the next one.
      if (last === undefined) {
        last = BigInt(message.result)
        post({ kind: 'head', number: last.toString() })
      }
    } else if (message.method === 'eth_subscription' && message.params?.result?.number) {
      const head = message.params.result
      stamp(BigInt(head.number), head.timestamp === undefined ? undefined : BigInt(head.timestamp).toString())
    } else if (message.error) post({ kind: 'error', message: `node answered ${JSON.stringify(message.error)}` })
  })
  socket.on('error', (error) => post({ kind: 'error', message: String(error) }))
  socket.on('close', () => {
    if (stopping) return
    // Bounded: a node that keeps dropping us ends the watcher, and the harness says so.
    if (++reconnects > maxReconnects) return post({ kind: 'fatal', message: `the head watcher's WebSocket to ${wsUrl} closed ${reconnects} times` })
    post({ kind: 'error', message: `WebSocket to ${wsUrl} closed; reconnecting` })
    setTimeout(connect, Math.min(1000, 50 * reconnects))
  })
  current = socket
}

let current
let stopping = false
parentPort.on('message', (message) => {
  if (message === 'stop') {
    stopping = true
    current?.terminate()
    parentPort.close()
  }
})
connect()
