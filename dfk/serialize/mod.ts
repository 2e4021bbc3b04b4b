/**
 * Serialization shared by every tsflow process: the MessagePack codec, errors as data, the
 * argument check, and the registry of imported modules.
 *
 * @module
 */
export { decode, encode, hasTypeRule, registerType, type TypeRule } from "./codec.ts";
export { assertSerializable } from "./check.ts";
export { type ErrorData, errorFromData, errorToData } from "./error_codec.ts";
export { findExport, getModule, registerModule } from "./module_registry.ts";
export { travelCopy } from "./travel_copy.ts";
export { thrownError } from "./thrown_error.ts";
