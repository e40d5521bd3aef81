/**
 * The well-known ids of the NNS system canisters that tools such as icp-cli and dfx expect
 * on every local network, exactly as on mainnet.
 */
import { Principal } from '@dfinity/principal';

export const ICP_LEDGER_ID = Principal.fromText('ryjl3-tyaaa-aaaaa-aaaba-cai');
export const CYCLES_MINTING_CANISTER_ID = Principal.fromText('rkp4c-7iaaa-aaaaa-aaaca-cai');
export const CYCLES_LEDGER_ID = Principal.fromText('um5iw-rqaaa-aaaaq-qaaba-cai');
/** NNS root controls the system canisters on mainnet; nobody on localnet holds its key. */
export const NNS_ROOT_ID = Principal.fromText('r7inp-6aaaa-aaaaa-aaabq-cai');
/** NNS governance's account is the ICP ledger's minting account on mainnet. */
export const NNS_GOVERNANCE_ID = Principal.fromText('rrkah-fqaaa-aaaaa-aaaaq-cai');
