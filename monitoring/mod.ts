/**
 * monitoring: see DESIGN.md.
 *
 * @module
 */
export {};
