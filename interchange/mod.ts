/**
 * interchange: see DESIGN.md.
 *
 * @module
 */
export {};
