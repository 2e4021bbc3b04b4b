/**
 * Numbers at the edge of every MessagePack form the codec writes (each integer width, both
 * signs, floats, non-finite values): for tests of anything that reads numbers from the wire.
 */
export const MSGPACK_NUMBERS = [
  0,
  1,
  127,
  128,
  255,
  256,
  65535,
  65536,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 53 - 1,
  -1,
  -32,
  -33,
  -128,
  -129,
  -32768,
  -32769,
  -(2 ** 31),
  -(2 ** 31) - 1,
  -(2 ** 53),
  0.5,
  -0,
  NaN,
  Infinity,
  1e300,
];
