// First, before the modules that build the contract's IDL types (imports run in order).
import './canister/install-text-codec';

export { default } from './canister/canister';
