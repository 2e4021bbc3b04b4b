/**
 * Reads a function's parameter names from its source text, for `ignoreForCache` by name. A small
 * scanner that skips strings and comments; anything it cannot read for certain (a template with
 * `${…}` or a regular expression in a default value) yields `undefined`, never a wrong guess.
 *
 * @module
 */

/**
 * Parameter names of a function, in order.
 *
 * @param fn A function.
 * @returns Names (`""` for a destructured parameter), or undefined when the text cannot be read
 *   for certain.
 *
 * @example
 * ```ts
 * import { parameterNames } from "./parameter_names.ts";
 * import assert from "node:assert/strict";
 * assert(parameterNames((sep = ",", x = 1, _y = 2) => sep + x)!.join() === "sep,x,_y");
 * assert(parameterNames((v: number) => v)!.join() === "v");
 * ```
 */
export function parameterNames(fn: (...args: never[]) => unknown): string[] | undefined {
  const text = fn.toString();
  const arrow = /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/.exec(text);
  if (arrow) return [arrow[1]];
  const open = text.indexOf("(");
  if (open < 0) return [];
  const parts: string[] = [];
  let current = "";
  let depth = 0;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      i = skipString(text, i, c);
      if (i < 0) return undefined;
      current += "0";
    } else if (c === "`") {
      const end = text.indexOf("`", i + 1);
      if (end < 0 || text.slice(i, end).includes("${")) return undefined;
      i = end;
      current += "0";
    } else if (c === "/" && text[i + 1] === "/") {
      i = text.indexOf("\n", i);
      if (i < 0) return undefined;
    } else if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2) + 1;
      if (i <= 0) return undefined;
    } else if (c === "/") {
      return undefined; // a regular expression or a division: not worth guessing
    } else if (c === "(" || c === "[" || c === "{") {
      depth++;
      current += c;
    } else if (c === ")" || c === "]" || c === "}") {
      if (depth === 0 && c === ")") {
        if (current.trim() !== "" || parts.length === 0) parts.push(current);
        return parts.map((p) => /^\s*(?:\.\.\.)?([A-Za-z_$][\w$]*)/.exec(p)?.[1] ?? "")
          .filter((name, k) => name !== "" || parts[k].trim() !== "");
      }
      depth--;
      current += c;
    } else if (c === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += c;
  }
  return undefined;
}

function skipString(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}
