/**
 * providers: see DESIGN.md.
 *
 * @module
 */
export {};
