export { default } from './canister/canister';
