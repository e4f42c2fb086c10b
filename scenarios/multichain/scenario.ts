import { defineScenario } from '../../harness/scenario/defineScenario.ts'
import type { MultichainPlan } from '../../harness/scenario/multichain/runMultichain.ts'

/** Which chain's RPC goes down, when and for how long (blocks of that chain). */
export const plan: MultichainPlan = {
  steadyChainId: 11155111,
  faultedChainId: 100,
  outageAfterBlocks: { full: 40, ci: 8 },
  outageBlocks: { full: 60, ci: 36 },
}

export default defineScenario({
  name: 'multichain',
  description:
    "Given two 0.5 s devnets, chain 11155111 and chain 100, each with the protocol at its real addresses and its own orderbook stub, one engine running twap-monitor and ethflow-watcher on both (one instance of each per chain), and 1 sender creating 1 TWAP and placing 1 EthFlow order per block on each chain, when chain 100's RPC goes down (every connection refused, through the fault proxy) for 60 of its blocks (36 at CI scale) and then comes back, then chain 11155111's cursor stays within N blocks of its head during the outage (N derived from its own baseline), every part its logs make due reaches its stub once with its p99 latency within a bound of its baseline, and after recovery chain 100 backfills: every part, once, the outage's parts accepted only after the RPC came back; on both chains every EthFlow order is verified at its own stub, and no module errs, traps or is parked.",
  devnet: { blockTime: 0.5 },
  engine: { mode: 'in-process', modules: [{ name: 'twap-monitor', chains: [11155111, 100] }, { name: 'ethflow-watcher', chains: [11155111, 100] }] },
  // Parts 120 s apart: a part made tradeable at the start of the outage is still valid well after
  // the RPC comes back, so the backfill must post it (nothing about it may be lost to the outage).
  load: { senders: 1, twapPerBlock: 1, ethFlowPerBlock: 1, blocks: { full: 240, ci: 56 }, twap: { n: 2, t: 120 } },
  warmupBlocks: 4,
  drainBlocks: 10,
})
