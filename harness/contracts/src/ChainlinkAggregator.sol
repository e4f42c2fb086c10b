// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title Chainlink price feed with a settable answer (Shepherd test double)
/// @notice AggregatorV3 read surface (8 decimals) plus setAnswer / setUpdatedAt for tests.
/// @dev Placed with anvil_setCode: constants for decimals/description, storage starts at round 0.
contract ChainlinkAggregator {
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);

    uint80 internal _roundId;
    int256 internal _answer;
    uint256 internal _updatedAt;

    function decimals() external pure returns (uint8) {
        return 8;
    }

    function description() external pure returns (string memory) {
        return "ETH / USD";
    }

    function version() external pure returns (uint256) {
        return 4;
    }

    function latestRoundData()
        external
        view
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        return (_roundId, _answer, _updatedAt, _updatedAt, _roundId);
    }

    function latestAnswer() external view returns (int256) {
        return _answer;
    }

    function latestTimestamp() external view returns (uint256) {
        return _updatedAt;
    }

    function latestRound() external view returns (uint256) {
        return _roundId;
    }

    /// @notice Starts a new round with `answer`, updated now.
    function setAnswer(int256 answer) external {
        _roundId += 1;
        _answer = answer;
        _updatedAt = block.timestamp;
        emit AnswerUpdated(answer, _roundId, block.timestamp);
    }

    /// @notice Back-dates (or forward-dates) the latest round, to test staleness checks.
    function setUpdatedAt(uint256 updatedAt) external {
        _updatedAt = updatedAt;
    }
}
