// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title Value factory returning the block timestamp (Shepherd test double)
/// @notice Used with ComposableCoW.createWithContext so a TWAP with t0 = 0 starts at creation time.
contract CurrentBlockTimestampFactory {
    function getValue(bytes calldata) external view returns (bytes32) {
        return bytes32(block.timestamp);
    }
}
