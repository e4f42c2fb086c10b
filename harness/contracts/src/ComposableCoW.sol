// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {GPv2Orders} from "./libraries/GPv2Orders.sol";
import {
    IConditionalOrder,
    IConditionalOrderGenerator,
    IConditionalOrderVerifier,
    IERC165Like,
    IValueFactory
} from "./interfaces/IConditionalOrder.sol";

/// @title ComposableCoW (Shepherd test double)
/// @notice Authorises conditional orders per owner (single orders or a merkle root) and turns them into
/// discrete GPv2 orders with the signature to post. Same ABI and behaviour as composable-cow's
/// ComposableCoW for single orders; our own code.
/// @dev Placed at its real address with anvil_setCode: no immutables, no constructor. The storage
/// layout follows the original (roots 0, singleOrders 1, swapGuards 2, cabinet 3) so slot
/// arithmetic written against either one agrees.
contract ComposableCoW {
    error ProofNotAuthed();
    error SingleOrderNotAuthed();
    error SwapGuardRestricted();
    error InvalidHandler();
    error InvalidFallbackHandler();
    error InterfaceNotSupported();

    struct PayloadStruct {
        bytes32[] proof;
        IConditionalOrder.ConditionalOrderParams params;
        bytes offchainInput;
    }

    struct Proof {
        uint256 location;
        bytes data;
    }

    event MerkleRootSet(address indexed owner, bytes32 root, Proof proof);
    event ConditionalOrderCreated(address indexed owner, IConditionalOrder.ConditionalOrderParams params);

    mapping(address => bytes32) public roots;
    mapping(address => mapping(bytes32 => bool)) public singleOrders;
    // Kept for layout parity with the original; the double has no swap guards.
    mapping(address => address) public swapGuards;
    mapping(address => mapping(bytes32 => bytes32)) public cabinet;

    /// @dev ERC-165 id of the Safe ExtensibleFallbackHandler's ISignatureVerifierMuxer.
    bytes4 internal constant SIGNATURE_VERIFIER_MUXER_ID = 0x62af8dc2;
    /// @dev bytes4(keccak256("isValidSignature(bytes32,bytes)")): what EIP-1271 answers for a valid signature.
    bytes4 internal constant ERC1271_MAGIC_VALUE = 0x1626ba7e;

    function domainSeparator() external view returns (bytes32) {
        return GPv2Orders.domainSeparator();
    }

    function setRoot(bytes32 root, Proof calldata proof) public {
        roots[msg.sender] = root;
        emit MerkleRootSet(msg.sender, root, proof);
    }

    function setRootWithContext(bytes32 root, Proof calldata proof, address factory, bytes calldata data) external {
        setRoot(root, proof);
        cabinet[msg.sender][bytes32(0)] = IValueFactory(factory).getValue(data);
    }

    function create(IConditionalOrder.ConditionalOrderParams calldata params, bool dispatch) public {
        if (params.handler == address(0)) revert InvalidHandler();
        singleOrders[msg.sender][hash(params)] = true;
        if (dispatch) emit ConditionalOrderCreated(msg.sender, params);
    }

    /// @notice create, then store factory.getValue(data) in cabinet[msg.sender][hash(params)].
    function createWithContext(
        IConditionalOrder.ConditionalOrderParams calldata params,
        address factory,
        bytes calldata data,
        bool dispatch
    ) external {
        create(params, dispatch);
        cabinet[msg.sender][hash(params)] = IValueFactory(factory).getValue(data);
    }

    function remove(bytes32 singleOrderHash) external {
        singleOrders[msg.sender][singleOrderHash] = false;
        cabinet[msg.sender][singleOrderHash] = bytes32(0);
    }

    /// @notice The settlement-side check behind an owner's EIP-1271 `isValidSignature` (the Safe
    /// ExtensibleFallbackHandler or an ERC1271Forwarder calls it): the conditional order in `payload` must be
    /// authorised for `safe`, and its handler must generate, now, the order whose digest is `_hash`.
    /// @dev Same signature and order of checks as the original (auth, decode, handler.verify); no swap guards.
    /// Reverts (SingleOrderNotAuthed / ProofNotAuthed / the handler's OrderNotValid or polling hint) when not valid.
    function isValidSafeSignature(
        address safe,
        address sender,
        bytes32 _hash,
        bytes32 _domainSeparator,
        bytes32, // typeHash: not used, as in the original
        bytes calldata encodeData,
        bytes calldata payload
    ) external view returns (bytes4 magic) {
        PayloadStruct memory decoded = abi.decode(payload, (PayloadStruct));
        bytes32 ctx = _auth(safe, decoded.params, decoded.proof);
        GPv2Orders.Data memory order = abi.decode(encodeData, (GPv2Orders.Data));
        IConditionalOrderVerifier(decoded.params.handler).verify(
            safe, sender, _hash, _domainSeparator, ctx, decoded.params.staticInput, decoded.offchainInput, order
        );
        return ERC1271_MAGIC_VALUE;
    }

    function hash(IConditionalOrder.ConditionalOrderParams memory params) public pure returns (bytes32) {
        return keccak256(abi.encode(params));
    }

    /// @notice The discrete order the handler generates now, and the signature to post it with.
    /// @dev ctx is hash(params) for a single order (bytes32(0) for a merkle proof); the handler reads
    /// the cabinet itself. Handler reverts (polling hints) bubble up unchanged.
    function getTradeableOrderWithSignature(
        address owner,
        IConditionalOrder.ConditionalOrderParams calldata params,
        bytes calldata offchainInput,
        bytes32[] calldata proof
    ) external view returns (GPv2Orders.Data memory order, bytes memory signature) {
        bytes32 ctx = _auth(owner, params, proof);

        try IERC165Like(params.handler).supportsInterface(type(IConditionalOrderGenerator).interfaceId) returns (
            bool supported
        ) {
            if (!supported) revert InterfaceNotSupported();
        } catch {
            revert InterfaceNotSupported();
        }

        order = IConditionalOrderGenerator(params.handler).getTradeableOrder(
            owner, msg.sender, ctx, params.staticInput, offchainInput
        );

        // As the deployed contract: its Safe probe is a try-call to owner.supportsInterface expecting an
        // answer; an owner without code answers nothing, and decoding that empty answer fails outside the
        // try's reach, so the whole call reverts without data. An EOA can never own a tradeable TWAP.
        if (owner.code.length == 0) {
            assembly {
                revert(0, 0)
            }
        }

        PayloadStruct memory payload = PayloadStruct({proof: proof, params: params, offchainInput: offchainInput});
        if (_isSafeWithMuxer(owner)) {
            signature = abi.encodeWithSignature(
                "safeSignature(bytes32,bytes32,bytes,bytes)",
                GPv2Orders.domainSeparator(),
                GPv2Orders.TYPE_HASH,
                abi.encode(order),
                abi.encode(payload)
            );
        } else {
            // A plain contract owner (an EIP-1271 forwarder): abi.encode(order, payload).
            signature = abi.encode(order, payload);
        }
    }

    function _auth(address owner, IConditionalOrder.ConditionalOrderParams memory params, bytes32[] memory proof)
        internal
        view
        returns (bytes32 ctx)
    {
        if (proof.length != 0) {
            // Leaves are double-hashed, pairs sorted (OpenZeppelin MerkleProof convention).
            bytes32 node = keccak256(bytes.concat(hash(params)));
            for (uint256 i = 0; i < proof.length; i++) {
                bytes32 sibling = proof[i];
                node = node < sibling
                    ? keccak256(abi.encode(node, sibling))
                    : keccak256(abi.encode(sibling, node));
            }
            if (node != roots[owner]) revert ProofNotAuthed();
        } else {
            ctx = hash(params);
            if (!singleOrders[owner][ctx]) revert SingleOrderNotAuthed();
        }
    }

    /// @dev The original asks the owner for ISignatureVerifierMuxer support and falls back to the plain
    /// encoding when that call fails. We only ask contracts, since an EOA cannot answer.
    function _isSafeWithMuxer(address owner) internal view returns (bool) {
        if (owner.code.length == 0) return false;
        (bool ok, bytes memory ret) =
            owner.staticcall(abi.encodeWithSelector(IERC165Like.supportsInterface.selector, SIGNATURE_VERIFIER_MUXER_ID));
        if (!ok || ret.length < 32) return false;
        if (abi.decode(ret, (uint256)) == 0) revert InvalidFallbackHandler();
        return true;
    }
}
