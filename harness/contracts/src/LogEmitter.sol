// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title Emits many logs in one transaction (Shepherd engine integration tests)
/// @dev `seq` is global across calls (storage counter starting at 0), so a consumer can detect a
/// missing or duplicated log by gaps and repeats.
contract LogEmitter {
    event Ping(uint256 indexed seq, address indexed sender, uint256 value);

    /// @notice How many Ping logs have been emitted so far (the next seq).
    uint256 public count;

    /// @notice Emits n Ping logs with consecutive global seq numbers; value is the index within this call.
    function emitMany(uint256 n) external {
        uint256 seq = count;
        for (uint256 i = 0; i < n; i++) {
            emit Ping(seq + i, msg.sender, i);
        }
        count = seq + n;
    }
}
