import type { Address, Hex } from 'viem'
import { chainlinkAggregatorArtifact } from '../contracts/artifacts/ChainlinkAggregator.ts'
import { coWSwapEthFlowArtifact } from '../contracts/artifacts/CoWSwapEthFlow.ts'
import { composableCoWArtifact } from '../contracts/artifacts/ComposableCoW.ts'
import { cowTokenArtifact } from '../contracts/artifacts/CowToken.ts'
import { currentBlockTimestampFactoryArtifact } from '../contracts/artifacts/CurrentBlockTimestampFactory.ts'
import { logEmitterArtifact } from '../contracts/artifacts/LogEmitter.ts'
import { twapArtifact } from '../contracts/artifacts/TWAP.ts'
import { sepoliaAddresses } from './addresses.ts'

/** A test double placed at a real address with anvil_setCode (it holds no immutables, so copying its runtime is enough). */
export type DoublePlacement = { name: string; address: Address; deployedBytecode: Hex }

/**
 * Our Solidity doubles (harness/contracts) and where each goes: the protocol's Sepolia addresses,
 * LogEmitter at a fixed address of ours.
 */
export const doublePlacements: readonly DoublePlacement[] = [
  { name: 'ComposableCoW', address: sepoliaAddresses.composableCow, deployedBytecode: composableCoWArtifact.deployedBytecode },
  { name: 'TWAP', address: sepoliaAddresses.twap, deployedBytecode: twapArtifact.deployedBytecode },
  {
    name: 'CurrentBlockTimestampFactory',
    address: sepoliaAddresses.currentBlockTimestampFactory,
    deployedBytecode: currentBlockTimestampFactoryArtifact.deployedBytecode,
  },
  { name: 'CoWSwapEthFlow', address: sepoliaAddresses.ethFlow, deployedBytecode: coWSwapEthFlowArtifact.deployedBytecode },
  { name: 'ChainlinkAggregator', address: sepoliaAddresses.chainlinkEthUsd, deployedBytecode: chainlinkAggregatorArtifact.deployedBytecode },
  { name: 'CowToken', address: sepoliaAddresses.cowToken, deployedBytecode: cowTokenArtifact.deployedBytecode },
  { name: 'LogEmitter', address: sepoliaAddresses.logEmitter, deployedBytecode: logEmitterArtifact.deployedBytecode },
]

/** Answer the oracle double starts with: 3000 USD per ETH, 8 decimals. */
export const initialOracleAnswer = 3000_00000000n
