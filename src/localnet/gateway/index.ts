/** The gateway's public surface: asset canisters and the Internet Identity stand-in. */
export { Gateway, type GatewayOptions } from './gateway';
export { serveAsset, contentTypeFor, cacheControlFor } from './assets';
export {
  INTERNET_IDENTITY_CANISTER_ID,
  devUserIdentity,
  devUserPrincipal,
} from './internet-identity/dev-user';
