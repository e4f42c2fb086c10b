#!/bin/sh
# The test command of e2e/e2e.yml: the signed end-to-end run against the sandbox's services.
# The default key is Anvil's well-known test account 7 (mnemonic "test test ... junk"): funded on
# every devnet, public, worthless anywhere else. Set SHEPHERD_E2E_PRIVATE_KEY to use another.
set -e
: "${SHEPHERD_E2E_PRIVATE_KEY:=0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356}"
export SHEPHERD_E2E_PRIVATE_KEY
exec node bin/shepherd.js e2e --rpc-url "$DEVNET_RPC_URL" --orderbook-url "$ORDERBOOK_URL" --metrics-url "$ENGINE_URL" \
  --state "$SANDBOX_DIR/e2e-state" --out "${SHEPHERD_E2E_OUT:-$SANDBOX_DIR/reports}"
