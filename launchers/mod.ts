/**
 * launchers: see DESIGN.md.
 *
 * @module
 */
export {};
