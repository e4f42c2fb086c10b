// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title GPv2Orders: the settlement's order struct, constants and EIP-712 hashing (Shepherd test double)
/// @dev Our own code. Field order and type hash match GPv2Order.Data of the settlement contract.
library GPv2Orders {
    struct Data {
        address sellToken;
        address buyToken;
        address receiver;
        uint256 sellAmount;
        uint256 buyAmount;
        uint32 validTo;
        bytes32 appData;
        uint256 feeAmount;
        bytes32 kind;
        bool partiallyFillable;
        bytes32 sellTokenBalance;
        bytes32 buyTokenBalance;
    }

    /// @dev keccak256 of the GPv2Order EIP-712 type string.
    bytes32 internal constant TYPE_HASH = 0xd5a25ba2e97094ad7d83dc28a6572da797d6b3e7fc6663bd93efb789fc17e489;
    bytes32 internal constant KIND_SELL = keccak256("sell");
    bytes32 internal constant BALANCE_ERC20 = keccak256("erc20");

    /// @dev The real settlement address (same on Sepolia and mainnet).
    address internal constant SETTLEMENT = 0x9008D19f58AAbD9eD0D60971565AA8510560ab41;

    /// @dev Computed at call time from chainid, so the code needs no constructor or immutable and
    /// gives the Sepolia separator on chain 11155111 (and the mainnet one on chain 1).
    function domainSeparator() internal view returns (bytes32) {
        return keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256("Gnosis Protocol"),
                keccak256("v2"),
                block.chainid,
                SETTLEMENT
            )
        );
    }

    /// @dev EIP-712 digest of an order: keccak256("\x19\x01" || separator || structHash).
    function digest(Data memory order, bytes32 separator) internal pure returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(
                TYPE_HASH,
                order.sellToken,
                order.buyToken,
                order.receiver,
                order.sellAmount,
                order.buyAmount,
                order.validTo,
                order.appData,
                order.feeAmount,
                order.kind,
                order.partiallyFillable,
                order.sellTokenBalance,
                order.buyTokenBalance
            )
        );
        return keccak256(abi.encodePacked("\x19\x01", separator, structHash));
    }

    /// @dev Order UID: digest (32) || owner (20) || validTo (4).
    function uid(bytes32 orderDigest, address owner, uint32 validTo) internal pure returns (bytes memory) {
        return abi.encodePacked(orderDigest, owner, validTo);
    }
}
