/**
 * worker_pool: see DESIGN.md.
 *
 * @module
 */
export {};
