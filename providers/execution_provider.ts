/**
 * The `ExecutionProvider` interface and its job states. The kernel owns them (its scaling drives
 * every provider through them, `dfk/execution_provider.ts`); providers import them from here.
 *
 * @module
 */
export * from "../dfk/execution_provider.ts";
