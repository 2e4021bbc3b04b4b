/**
 * Dependency resolvers (Parsl's `parsl.dataflow.dependency_resolvers`): where the kernel looks for
 * futures in a task's arguments, and how it puts their values in their place. The shallow
 * resolver looks only at top-level arguments (and `inputs`); the deep one also looks inside
 * arrays, plain objects, Maps and Sets, and can be taught other types.
 *
 * @module
 */
import { isThenable } from "./brands.ts";
import type { Class } from "./class_type.ts";

/**
 * A dependency resolver.
 *
 * @example
 * ```ts
 * import { SHALLOW_DEPENDENCY_RESOLVER } from "./dependencies.ts";
 * import assert from "node:assert/strict";
 * const p = Promise.resolve(1);
 * const found: PromiseLike<unknown>[] = [];
 * SHALLOW_DEPENDENCY_RESOLVER.gather(p, found);
 * assert(found.length === 1);
 * ```
 */
export interface DependencyResolver {
  /** Appends every future in `value` to `out`. */
  gather(value: unknown, out: PromiseLike<unknown>[]): void;
  /** Returns `value` with every future replaced by `valueOf(future)`. */
  unwrap(value: unknown, valueOf: (f: PromiseLike<unknown>) => unknown): unknown;
}

/**
 * Looks at the value itself only.
 *
 * @example
 * ```ts
 * import { SHALLOW_DEPENDENCY_RESOLVER } from "./dependencies.ts";
 * import assert from "node:assert/strict";
 * const found: PromiseLike<unknown>[] = [];
 * SHALLOW_DEPENDENCY_RESOLVER.gather([Promise.resolve(1)], found);
 * assert(found.length === 0);
 * ```
 */
export const SHALLOW_DEPENDENCY_RESOLVER: DependencyResolver = {
  gather(value, out) {
    if (isThenable(value)) out.push(value);
  },
  unwrap(value, valueOf) {
    return isThenable(value) ? valueOf(value) : value;
  },
};

/** How the deep resolver looks inside one container type. */
export interface ContainerRule<T> {
  /** Calls `visit` on each element. */
  elements(container: T): Iterable<unknown>;
  /** Rebuilds the container with each element mapped. */
  map(container: T, f: (element: unknown) => unknown): T;
}

/**
 * A resolver that looks inside containers: arrays, plain objects, Maps (keys and values), Sets,
 * and any type registered with `register`.
 *
 * @example Teach it a container type
 * ```ts
 * import { DeepDependencyResolver } from "./dependencies.ts";
 * import assert from "node:assert/strict";
 * class Pair { constructor(public a: unknown, public b: unknown) {} }
 * const deep = new DeepDependencyResolver();
 * deep.register(Pair, { elements: (p) => [p.a, p.b], map: (p, f) => new Pair(f(p.a), f(p.b)) });
 * const found: PromiseLike<unknown>[] = [];
 * deep.gather(new Pair(Promise.resolve(1), 2), found);
 * assert(found.length === 1);
 * ```
 */
export class DeepDependencyResolver implements DependencyResolver {
  #rules = new Map<unknown, ContainerRule<unknown>>();

  /**
   * Registers a container type.
   * @param cls The class.
   * @param rule How to visit and rebuild it.
   */
  register<T>(cls: Class<T>, rule: ContainerRule<T>): void {
    this.#rules.set(cls.prototype, rule as ContainerRule<unknown>);
  }

  #rule(value: object): ContainerRule<unknown> | undefined {
    const proto = Object.getPrototypeOf(value);
    if (Array.isArray(value)) return ARRAY_RULE;
    if (proto === Object.prototype || proto === null) return OBJECT_RULE;
    if (value instanceof Map) return MAP_RULE;
    if (value instanceof Set) return SET_RULE;
    return this.#rules.get(proto);
  }

  /**
   * Appends every future found in the value.
   * @param value Value to search.
   * @param out Receives futures.
   */
  gather(value: unknown, out: PromiseLike<unknown>[]): void {
    if (isThenable(value)) {
      out.push(value);
      return;
    }
    if (typeof value !== "object" || value === null) return;
    const rule = this.#rule(value);
    if (rule) { for (const el of rule.elements(value)) this.gather(el, out); }
  }

  /**
   * Returns the value with each future replaced by its value.
   * @param value Value to rebuild.
   * @param valueOf Value of a future.
   * @returns The value with futures replaced.
   */
  unwrap(value: unknown, valueOf: (f: PromiseLike<unknown>) => unknown): unknown {
    if (isThenable(value)) return valueOf(value);
    if (typeof value !== "object" || value === null) return value;
    const rule = this.#rule(value);
    return rule ? rule.map(value, (el) => this.unwrap(el, valueOf)) : value;
  }
}

const ARRAY_RULE: ContainerRule<unknown[]> = {
  elements: (a) => a,
  map: (a, f) => a.map(f),
} as ContainerRule<unknown[]>;
const OBJECT_RULE = {
  elements: (o: Record<string, unknown>) => Object.values(o),
  map: (o: Record<string, unknown>, f: (e: unknown) => unknown) => {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o)) out[k] = f(o[k]);
    return out;
  },
} as ContainerRule<unknown>;
const MAP_RULE = {
  elements: (m: Map<unknown, unknown>) => [...m.keys(), ...m.values()],
  map: (m: Map<unknown, unknown>, f: (e: unknown) => unknown) =>
    new Map([...m].map(([k, v]) => [f(k), f(v)])),
} as ContainerRule<unknown>;
const SET_RULE = {
  elements: (s: Set<unknown>) => s,
  map: (s: Set<unknown>, f: (e: unknown) => unknown) => new Set([...s].map(f)),
} as ContainerRule<unknown>;

/**
 * The deep resolver, ready to use (`dependencyResolver: DEEP_DEPENDENCY_RESOLVER`).
 *
 * @example
 * ```ts
 * import { DEEP_DEPENDENCY_RESOLVER } from "./dependencies.ts";
 * import assert from "node:assert/strict";
 * const p = Promise.resolve(2);
 * const v = DEEP_DEPENDENCY_RESOLVER.unwrap({ xs: [1, p] }, () => 2) as { xs: number[] };
 * assert(v.xs[1] === 2);
 * ```
 */
export const DEEP_DEPENDENCY_RESOLVER: DeepDependencyResolver = new DeepDependencyResolver();
