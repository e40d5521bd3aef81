/**
 * CBOR at the HTTP boundary. Requests arrive with the self-describe tag 55799 (the decoder
 * strips it); responses carry it too, as a replica's do.
 */
import { decode, encodeWithSelfDescribedTag } from '@dfinity/cbor';
import { RequestRejection } from '../auth/authenticate';

export function decodeBody(body: Uint8Array): unknown {
  if (body.length === 0) throw new RequestRejection(400, 'request body is empty; expected CBOR');
  try {
    return decode(body);
  } catch (e) {
    throw new RequestRejection(400, `request body is not valid CBOR: ${(e as Error).message}`);
  }
}

export function encodeBody(value: unknown): Uint8Array {
  return encodeWithSelfDescribedTag(value);
}
