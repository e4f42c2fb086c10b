// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {GPv2Orders} from "./libraries/GPv2Orders.sol";

interface IWETH9 {
    function deposit() external payable;
    function withdraw(uint256 amount) external;
    function approve(address spender, uint256 amount) external returns (bool);
}

interface IFilledAmount {
    function filledAmount(bytes calldata orderUid) external view returns (uint256);
}

/// @title CoW Swap ETH Flow (Shepherd test double)
/// @notice Sells native ETH through CoW Protocol: the contract owns the GPv2 order (EIP-1271) and emits
/// OrderPlacement for the orderbook to index. Same ABI and behaviour as cowprotocol/ethflowcontract's
/// CoWSwapEthFlow; our own code.
/// @dev Placed at its real address with anvil_setCode: no immutables, no constructor. WETH and the
/// settlement are the real Sepolia addresses; the domain separator is computed from chainid.
contract CoWSwapEthFlow {
    struct EthFlowOrder {
        address buyToken;
        address receiver;
        uint256 sellAmount;
        uint256 buyAmount;
        bytes32 appData;
        uint256 feeAmount;
        uint32 validTo;
        bool partiallyFillable;
        int64 quoteId;
    }

    struct OnchainData {
        address owner;
        uint32 validTo;
    }

    enum OnchainSigningScheme {
        Eip1271,
        PreSign
    }

    struct OnchainSignature {
        OnchainSigningScheme scheme;
        bytes data;
    }

    event OrderPlacement(address indexed sender, GPv2Orders.Data order, OnchainSignature signature, bytes data);
    event OrderInvalidation(bytes orderUid);
    event OrderRefund(bytes orderUid, address indexed refunder);

    error OrderIsAlreadyOwned(bytes32 orderHash);
    error IncorrectEthAmount();
    error NotAllowedZeroSellAmount();
    error OrderIsAlreadyExpired();
    error NotAllowedToInvalidateOrder(bytes32 orderHash);
    error EthTransferFailed();
    error ReceiverMustBeSet();

    address internal constant WETH = 0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14;
    address internal constant VAULT_RELAYER = 0xC92E8bdf79f0507f65a392b0ab4667716BFE0110;
    address internal constant INVALIDATED_OWNER = address(type(uint160).max);
    bytes4 internal constant EIP1271_MAGIC = 0x1626ba7e;

    mapping(bytes32 => OnchainData) public orders;

    receive() external payable {}

    function cowSwapSettlement() external pure returns (address) {
        return GPv2Orders.SETTLEMENT;
    }

    function wrappedNativeToken() external pure returns (address) {
        return WETH;
    }

    /// @notice Takes msg.value (= sellAmount + feeAmount) and places the order; returns its EIP-712 digest.
    function createOrder(EthFlowOrder calldata order) external payable returns (bytes32 orderHash) {
        if (msg.value != order.sellAmount + order.feeAmount) revert IncorrectEthAmount();
        if (order.sellAmount == 0) revert NotAllowedZeroSellAmount();
        if (order.validTo < block.timestamp) revert OrderIsAlreadyExpired();

        GPv2Orders.Data memory cowOrder = _toCowSwapOrder(order);
        emit OrderPlacement(
            msg.sender,
            cowOrder,
            OnchainSignature(OnchainSigningScheme.Eip1271, abi.encodePacked(address(this))),
            abi.encodePacked(order.quoteId, order.validTo)
        );
        orderHash = GPv2Orders.digest(cowOrder, GPv2Orders.domainSeparator());
        // quoteId and the user's validTo are not part of the GPv2 order, so they do not make a new UID.
        if (orders[orderHash].owner != address(0)) revert OrderIsAlreadyOwned(orderHash);
        orders[orderHash] = OnchainData(msg.sender, order.validTo);
    }

    /// @notice The owner cancels a live order, or anyone refunds an expired one; unfilled ETH goes back to the owner.
    function invalidateOrder(EthFlowOrder calldata order) external {
        _invalidate(order, true);
    }

    function invalidateOrdersIgnoringNotAllowed(EthFlowOrder[] calldata orderArray) external {
        for (uint256 i = 0; i < orderArray.length; i++) {
            _invalidate(orderArray[i], false);
        }
    }

    /// @notice EIP-1271: valid while the order is owned, not invalidated and not past the user's validTo.
    function isValidSignature(bytes32 orderHash, bytes calldata) external view returns (bytes4) {
        OnchainData memory data = orders[orderHash];
        if (data.owner != address(0) && data.owner != INVALIDATED_OWNER && data.validTo >= block.timestamp) {
            return EIP1271_MAGIC;
        }
        return 0xffffffff;
    }

    /// @notice Wraps ETH into WETH and lets the vault relayer pull it (the original approves in its constructor).
    function wrap(uint256 amount) public {
        IWETH9(WETH).deposit{value: amount}();
        IWETH9(WETH).approve(VAULT_RELAYER, type(uint256).max);
    }

    function wrapAll() external {
        wrap(address(this).balance);
    }

    function unwrap(uint256 amount) external {
        IWETH9(WETH).withdraw(amount);
    }

    function _toCowSwapOrder(EthFlowOrder calldata order) internal pure returns (GPv2Orders.Data memory) {
        if (order.receiver == address(0)) revert ReceiverMustBeSet();
        return GPv2Orders.Data({
            sellToken: WETH,
            buyToken: order.buyToken,
            receiver: order.receiver,
            sellAmount: order.sellAmount,
            buyAmount: order.buyAmount,
            validTo: type(uint32).max,
            appData: order.appData,
            feeAmount: order.feeAmount,
            kind: GPv2Orders.KIND_SELL,
            partiallyFillable: order.partiallyFillable,
            sellTokenBalance: GPv2Orders.BALANCE_ERC20,
            buyTokenBalance: GPv2Orders.BALANCE_ERC20
        });
    }

    function _invalidate(EthFlowOrder calldata order, bool revertIfNotAllowed) internal {
        GPv2Orders.Data memory cowOrder = _toCowSwapOrder(order);
        bytes32 orderHash = GPv2Orders.digest(cowOrder, GPv2Orders.domainSeparator());
        OnchainData memory data = orders[orderHash];
        bool tradable = data.validTo >= block.timestamp;
        if (
            data.owner == address(0) || data.owner == INVALIDATED_OWNER || (tradable && data.owner != msg.sender)
        ) {
            if (revertIfNotAllowed) revert NotAllowedToInvalidateOrder(orderHash);
            return;
        }
        orders[orderHash].owner = INVALIDATED_OWNER;

        bytes memory orderUid = GPv2Orders.uid(orderHash, address(this), cowOrder.validTo);
        if (tradable) emit OrderInvalidation(orderUid);
        else emit OrderRefund(orderUid, msg.sender);

        uint256 filled = _filledAmount(orderUid);
        uint256 feeRefund = cowOrder.feeAmount - (cowOrder.feeAmount * filled) / cowOrder.sellAmount;
        uint256 refund = cowOrder.sellAmount - filled + feeRefund;
        if (address(this).balance < refund) IWETH9(WETH).withdraw(refund - address(this).balance);
        (bool ok,) = payable(data.owner).call{value: refund}("");
        if (!ok) revert EthTransferFailed();
    }

    /// @dev A devnet without the settlement deployed counts nothing as filled.
    function _filledAmount(bytes memory orderUid) internal view returns (uint256) {
        if (GPv2Orders.SETTLEMENT.code.length == 0) return 0;
        return IFilledAmount(GPv2Orders.SETTLEMENT).filledAmount(orderUid);
    }
}
