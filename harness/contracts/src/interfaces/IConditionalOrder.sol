// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {GPv2Orders} from "../libraries/GPv2Orders.sol";

/// @title Conditional order types and errors (Shepherd test double)
/// @dev Same names and signatures as composable-cow's IConditionalOrder, so the selectors match.
interface IConditionalOrder {
    struct ConditionalOrderParams {
        address handler;
        bytes32 salt;
        bytes staticInput;
    }

    error OrderNotValid(string reason);
    error PollTryNextBlock(string reason);
    error PollTryAtBlock(uint256 blockNumber, string reason);
    error PollTryAtEpoch(uint256 timestamp, string reason);
    error PollNever(string reason);
}

/// @dev Its interface id is the selector of getTradeableOrder (0xb8296fc4), as in the original.
interface IConditionalOrderGenerator {
    function getTradeableOrder(
        address owner,
        address sender,
        bytes32 ctx,
        bytes calldata staticInput,
        bytes calldata offchainInput
    ) external view returns (GPv2Orders.Data memory);
}

/// @dev The handler's settlement-side check (composable-cow's IConditionalOrder.verify): reverts unless the
/// order it generates now hashes to `_hash`.
interface IConditionalOrderVerifier {
    function verify(
        address owner,
        address sender,
        bytes32 _hash,
        bytes32 domainSeparator,
        bytes32 ctx,
        bytes calldata staticInput,
        bytes calldata offchainInput,
        GPv2Orders.Data calldata order
    ) external view;
}

interface IERC165Like {
    function supportsInterface(bytes4 interfaceId) external view returns (bool);
}

interface IValueFactory {
    function getValue(bytes calldata data) external view returns (bytes32);
}
