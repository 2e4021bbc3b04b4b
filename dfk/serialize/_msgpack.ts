/**
 * tsflow's MessagePack writer and reader for every value (no dependency, no native add-on).
 * Standard MessagePack for plain data (nil, booleans, numbers, strings, `Uint8Array` as bin,
 * arrays, objects as maps with string keys, 64-bit integers as `BigInt`); extension types for
 * what MessagePack has no type for (`undefined`, `Date`, `Map`, `Set`, other `BigInt`s, typed
 * arrays, `ArrayBuffer`) and for the codec's own extensions (errors, registered classes), whose
 * payload is itself an encoded value. Decoded binary data never shares memory with the input.
 *
 * @module
 */
export { EXT, type ExtReader, type ExtWriter } from "./_msgpack_ext.ts";
export { pack, type PackOptions, packScratch } from "./_msgpack_pack.ts";
export { unpack } from "./_msgpack_unpack.ts";
