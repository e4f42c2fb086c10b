import { defineScenario } from '../../harness/scenario/defineScenario.ts'

export default defineScenario({
  name: 'appdata',
  description:
    'Given a 1 s devnet and 1 sender creating 5 TWAPs and 5 EthFlow orders per block whose appData are realistic documents (an app code; a partner fee and a referrer; hooks; a 7.9 kB document), each registered at the orderbook with PUT /api/v1/app_data/{hash} before the first order, when twap-monitor and ethflow-watcher run, then every expected TWAP part reaches the orderbook exactly once carrying the appData hash its TWAP named with its document at the orderbook, every EthFlow order is verified, and p99 block-to-submission stays under one block.',
  devnet: { blockTime: 1 },
  // As baseline: the engine as its own process, reaching the stub over HTTP.
  engine: { mode: 'process', modules: [{ name: 'twap-monitor' }, { name: 'ethflow-watcher' }] },
  // Strict stub (the real validity: >= 60 s left). Blocks every 1 s of wall time carry 12 s of chain
  // time (the default devnet.blockSeconds), and the load's TWAP parts are 120 s = 10 blocks apart (the
  // scenario default), so a part posted within a few blocks of becoming due has the 60 s the real
  // orderbook asks. Load intensity kept: parts due per block at steady state = 5 TWAPs per block x 4
  // parts, whatever t (TWAPs live 4 x 10 blocks, one part each 10 blocks), as with the former 5 s parts;
  // the ramp to it is 30 blocks instead of 15.
  load: { senders: 1, twapPerBlock: 5, ethFlowPerBlock: 5, blocks: { full: 120, ci: 15 }, appData: 'mix' },
})
