// Start-up benchmark: `npx tsx harness/devnet/startDevnet.bench.ts [runs]`.
// Prints medians of start (to a deployed protocol), start without deploy, and stop.
import { startDevnet } from './startDevnet.ts'

const runs = Number(process.argv[2] ?? 10)
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

async function measure(deploy: boolean) {
  const starts: number[] = []
  const stops: number[] = []
  for (let i = 0; i < runs; i++) {
    const net = await startDevnet({ deploy, log: () => {} })
    starts.push(net.startedInMs)
    const before = performance.now()
    await net.stop()
    stops.push(performance.now() - before)
  }
  return { starts, stops }
}

// One warm-up start so module loading and file parsing are not counted.
await (await startDevnet({ log: () => {} })).stop()
const deployed = await measure(true)
const bare = await measure(false)
console.log(`runs: ${runs}`)
console.log(`start + deploy protocol: median ${median(deployed.starts)} ms (min ${Math.min(...deployed.starts)}, max ${Math.max(...deployed.starts)})`)
console.log(`start, no deploy:        median ${median(bare.starts)} ms (min ${Math.min(...bare.starts)}, max ${Math.max(...bare.starts)})`)
console.log(`stop:                    median ${median([...deployed.stops, ...bare.stops]).toFixed(1)} ms`)
