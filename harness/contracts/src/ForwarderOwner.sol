// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {GPv2Orders} from "./libraries/GPv2Orders.sol";
import {ComposableCoW} from "./ComposableCoW.sol";
import {IConditionalOrder} from "./interfaces/IConditionalOrder.sol";

/// @title ForwarderOwner: an owner with code for conditional orders (Shepherd test double)
/// @notice What a real conditional-order owner looks like to the orderbook: an EIP-1271 contract whose
/// `isValidSignature(hash, signature)` behaves like composable-cow's ERC1271Forwarder. The signature is
/// what ComposableCoW.getTradeableOrderWithSignature returns for a plain owner, abi.encode(order, payload);
/// the order must hash (EIP-712, GPv2 domain) to `hash`, and ComposableCoW.isValidSafeSignature must
/// confirm the conditional order is authorised for this owner and generates exactly that order now.
/// @dev Our own code. Placed with anvil_setCode on many load owners at once (one runtime, no constructor,
/// no immutables, no storage). It has no supportsInterface, so ComposableCoW gives it the plain encoding
/// (the Safe muxer probe reverts), as for the original forwarder.
contract ForwarderOwner {
    /// @dev The real ComposableCoW address (same on Sepolia and mainnet); a constant instead of the
    /// original's immutable, so the runtime can be copied anywhere.
    ComposableCoW internal constant COMPOSABLE_COW = ComposableCoW(0xfdaFc9d1902f4e0b84f65F49f244b32b31013b74);

    /// @notice The order in the signature does not hash to the digest asked about (as the original).
    error InvalidHash();

    /// @notice EIP-1271: 0x1626ba7e when `signature` authorises the GPv2 order whose digest is `_hash`;
    /// reverts otherwise (InvalidHash, or ComposableCoW's / the handler's revert).
    function isValidSignature(bytes32 _hash, bytes calldata signature) external view returns (bytes4) {
        (GPv2Orders.Data memory order, ComposableCoW.PayloadStruct memory payload) =
            abi.decode(signature, (GPv2Orders.Data, ComposableCoW.PayloadStruct));
        bytes32 separator = COMPOSABLE_COW.domainSeparator();
        if (GPv2Orders.digest(order, separator) != _hash) revert InvalidHash();
        return COMPOSABLE_COW.isValidSafeSignature(
            address(this), msg.sender, _hash, separator, bytes32(0), abi.encode(order), abi.encode(payload)
        );
    }

    /// @notice Only the owner itself (an impersonated account sending to its own address) may batch.
    error NotSelf();

    /// @notice Creates many conditional orders for this owner in one transaction: `ComposableCoW.create
    /// (params[i], true)` for each, so each emits a real ConditionalOrderCreated with this contract as
    /// the owner (msg.sender), exactly as one create per transaction would. A harness convenience that
    /// lets a load create 100,000 TWAPs in a few blocks; a batching contract in between (Multicall3)
    /// would become the owner instead.
    function createMany(IConditionalOrder.ConditionalOrderParams[] calldata params) external {
        if (msg.sender != address(this)) revert NotSelf();
        for (uint256 i = 0; i < params.length; i++) {
            COMPOSABLE_COW.create(params[i], true);
        }
    }

    /// @notice Accepts ETH: EthFlow refunds and plain transfers reach an owner with code too.
    receive() external payable {}
}
