/**
 * Installs the fast global text codec as this module is evaluated: the entry point imports it
 * first, so that it is in place before any module builds IDL types (see fast-text-codec.ts).
 */
import { installFastTextCodec } from './fast-text-codec';

installFastTextCodec();
