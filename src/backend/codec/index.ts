/** A fast candid codec for Azle: see README.md for what it does, why, and what it costs. */
export { CandidError } from './errors';
export {
  principalIdFromBytes,
  principalIdToBytes,
  principalIdFromText,
  principalIdToText,
  principalIdFromPrincipal,
  principalIdToPrincipal,
  rememberPrincipalBytes,
  toIdlValue,
  fromIdlValue,
  type PrincipalId,
} from './principal';
export {
  binaryToBytes,
  bytesToBinary,
  encodeUtf8,
  decodeUtf8,
  setNativeCandidEncoder,
  type NativeCandidEncoder,
} from './utf8';
export { keyBytes } from './key-bytes';
export {
  codecFor,
  generatedSource,
  installPrecompiled,
  precompiledCodecsSource,
  type Use as CodecUse,
  type Codec,
  type PrecompiledCodecs,
  type UnitFactory,
} from './generate';
export { Encoded, encodedText } from './encoded';
export { Writer } from './writer';
export { Reader } from './reader';
export { decodeSubset } from './subset';
export {
  encodeReply,
  decodeArgs,
  takeArgumentsVerdict,
  encodeValue,
  decodeValue,
  encoded,
  type DecodeOptions,
  canonicalHeader,
  installHeaders,
  precomputedHeaders,
  isCanonical,
} from './message';
