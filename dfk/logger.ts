/**
 * A small buffered file logger. Every tsflow process writes its log under the run directory
 * (`runinfo/NNN/`), like Parsl; the terminal stays quiet.
 *
 * @module
 */

/** Log levels, lowest first. */
export type LogLevel = "debug" | "info" | "warn" | "error";
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * Writes timestamped lines to a file, batching writes so logging never stalls a hot path.
 *
 * @example
 * ```ts
 * import { Logger } from "./logger.ts";
 * const log = new Logger("test");            // no file: a null logger
 * log.info("started", { tasks: 3 });
 * await log.close();
 * ```
 */
export class Logger {
  #file?: Deno.FsFile;
  #buf: string[] = [];
  #timer?: ReturnType<typeof setTimeout>;
  #level: number;
  #component: string;
  #encoder = new TextEncoder();

  /**
   * Creates an instance with the given options.
   * @param component Name shown on each line (`dfk`, `interchange`, `manager`…).
   * @param path File to append to; none makes a logger that drops everything.
   * @param level Lowest level written.
   */
  constructor(component: string, path?: string, level: LogLevel = "debug") {
    this.#component = component;
    this.#level = ORDER[level];
    if (path) {
      this.#file = Deno.openSync(path, { append: true, create: true });
    }
  }

  /** Whether lines are written anywhere. */
  get enabled(): boolean {
    return this.#file !== undefined;
  }

  /**
   * Logs at debug level.
   * @param msg Message.
   * @param data Extra fields, printed as JSON.
   */
  debug(msg: string, data?: unknown): void {
    this.#write("debug", msg, data);
  }
  /**
   * Logs at info level.
   * @param msg Message.
   * @param data Extra fields, printed as JSON.
   */
  info(msg: string, data?: unknown): void {
    this.#write("info", msg, data);
  }
  /**
   * Logs at warn level.
   * @param msg Message.
   * @param data Extra fields, printed as JSON.
   */
  warn(msg: string, data?: unknown): void {
    this.#write("warn", msg, data);
  }
  /**
   * Logs at error level.
   * @param msg Message.
   * @param data Extra fields, printed as JSON.
   */
  error(msg: string, data?: unknown): void {
    this.#write("error", msg, data);
  }

  #write(level: LogLevel, msg: string, data?: unknown): void {
    if (!this.#file || ORDER[level] < this.#level) return;
    let line = `${new Date().toISOString()} ${this.#component} ${level.toUpperCase()} ${msg}`;
    if (data !== undefined) {
      try {
        line += " " + JSON.stringify(data, (_k, v) => typeof v === "bigint" ? String(v) : v);
      } catch {
        line += " " + String(data);
      }
    }
    this.#buf.push(line + "\n");
    if (ORDER[level] >= ORDER.error) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), 100);
  }

  /** Writes buffered lines now. */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#file || this.#buf.length === 0) return;
    const data = this.#encoder.encode(this.#buf.join(""));
    this.#buf = [];
    let off = 0;
    while (off < data.length) off += this.#file.writeSync(data.subarray(off));
  }

  /** Flushes and closes the file. */
  close(): Promise<void> {
    this.flush();
    this.#file?.close();
    this.#file = undefined;
    return Promise.resolve();
  }
}
