/**
 * The program layer above the engine: the `tsflow` command's modes (`run`, `worker`,
 * `interchange`, `visualize`), YAML configuration loading, help, the progress line, signals,
 * and re-executing this program in a mode. The kernel (`dfk/`) never imports it.
 *
 * This module re-exports what a workflow may use: registering its own classes for YAML configs,
 * and the command line that starts this program in a mode.
 *
 * @module
 */
export {
  type ConfigFactory,
  type ConfigTypeEntry,
  type ConfigTypeOptions,
  registerConfigType,
} from "./config_types.ts";
export { selfCommand, selfCommandLine } from "./self_command.ts";
