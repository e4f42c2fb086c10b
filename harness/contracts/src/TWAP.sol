// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {GPv2Orders} from "./libraries/GPv2Orders.sol";
import {IConditionalOrder, IConditionalOrderGenerator} from "./interfaces/IConditionalOrder.sol";

interface ICabinet {
    function cabinet(address owner, bytes32 key) external view returns (bytes32);
}

/// @title TWAP conditional order handler (Shepherd test double)
/// @notice Splits a sell order into `n` parts, one every `t` seconds from `t0`, each tradeable for
/// `span` seconds (or the whole interval when span is 0). Rules follow shared/protocol-facts.md
/// "TWAP semantics"; the code is our own.
/// @dev Placed at its real address with anvil_setCode, so it holds no immutables: the ComposableCoW
/// whose cabinet holds t0 (when t0 == 0) is the real address, as the original's immutable is.
contract TWAP is IConditionalOrder, IConditionalOrderGenerator {
    address internal constant COMPOSABLE_COW = 0xfdaFc9d1902f4e0b84f65F49f244b32b31013b74;

    struct Data {
        address sellToken;
        address buyToken;
        address receiver;
        uint256 partSellAmount;
        uint256 minPartLimit;
        uint256 t0;
        uint256 n;
        uint256 t;
        uint256 span;
        bytes32 appData;
    }

    /// @notice The discrete order of the part that is tradeable now; reverts with a polling hint otherwise.
    function getTradeableOrder(address owner, address, bytes32 ctx, bytes calldata staticInput, bytes calldata)
        public
        view
        override
        returns (GPv2Orders.Data memory order)
    {
        Data memory twap = abi.decode(staticInput, (Data));
        // t0 == 0 means "start when the order was created": the value factory stored it in the cabinet.
        if (twap.t0 == 0) {
            twap.t0 = uint256(ICabinet(COMPOSABLE_COW).cabinet(owner, ctx));
        }
        _validate(twap);

        if (block.timestamp < twap.t0) revert PollTryAtEpoch(twap.t0, "before twap start");
        // Bounded: t0 < 2^32, n <= 2^32, t <= 365 days, so no product below overflows uint256.
        if (block.timestamp >= twap.t0 + twap.n * twap.t) revert OrderNotValid("after twap finish");

        uint256 part = (block.timestamp - twap.t0) / twap.t;
        uint256 validTo = twap.span == 0
            ? twap.t0 + (part + 1) * twap.t - 1
            : twap.t0 + part * twap.t + twap.span - 1;
        // Same message as OpenZeppelin's SafeCast.toUint32, which the original uses here.
        require(validTo <= type(uint32).max, "SafeCast: value doesn't fit in 32 bits");

        order = GPv2Orders.Data({
            sellToken: twap.sellToken,
            buyToken: twap.buyToken,
            receiver: twap.receiver,
            sellAmount: twap.partSellAmount,
            buyAmount: twap.minPartLimit,
            validTo: uint32(validTo),
            appData: twap.appData,
            feeAmount: 0,
            kind: GPv2Orders.KIND_SELL,
            partiallyFillable: false,
            sellTokenBalance: GPv2Orders.BALANCE_ERC20,
            buyTokenBalance: GPv2Orders.BALANCE_ERC20
        });

        if (block.timestamp > validTo) revert PollTryAtEpoch(twap.t0 + (part + 1) * twap.t, "not within span");
    }

    /// @notice Reverts unless the generated order hashes to `orderHash` (what the settlement checks via EIP-1271).
    function verify(
        address owner,
        address sender,
        bytes32 orderHash,
        bytes32 domainSeparator,
        bytes32 ctx,
        bytes calldata staticInput,
        bytes calldata offchainInput,
        GPv2Orders.Data calldata
    ) external view {
        GPv2Orders.Data memory generated = getTradeableOrder(owner, sender, ctx, staticInput, offchainInput);
        if (orderHash != GPv2Orders.digest(generated, domainSeparator)) revert OrderNotValid("invalid hash");
    }

    /// @notice Reverts with OrderNotValid(reason) when the static input breaks a TWAP rule.
    function validateData(bytes calldata staticInput) external pure {
        _validate(abi.decode(staticInput, (Data)));
    }

    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IConditionalOrderGenerator).interfaceId || interfaceId == 0x01ffc9a7;
    }

    function _validate(Data memory twap) internal pure {
        if (twap.sellToken == twap.buyToken) revert OrderNotValid("same token");
        if (twap.sellToken == address(0) || twap.buyToken == address(0)) revert OrderNotValid("invalid token");
        if (twap.partSellAmount == 0) revert OrderNotValid("invalid part sell amount");
        if (twap.minPartLimit == 0) revert OrderNotValid("invalid min part limit");
        if (twap.t0 >= type(uint32).max) revert OrderNotValid("invalid start time");
        if (twap.n <= 1 || twap.n > type(uint32).max) revert OrderNotValid("invalid num parts");
        if (twap.t == 0 || twap.t > 365 days) revert OrderNotValid("invalid frequency");
        if (twap.span > twap.t) revert OrderNotValid("invalid span");
    }
}
