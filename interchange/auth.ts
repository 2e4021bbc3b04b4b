/**
 * Trust between an interchange and its pools: a per-run secret (handed over in a 0600 file or
 * the `TSFLOW_HTEX_SECRET` environment variable, never on a command line), an HMAC answer to the
 * interchange's random challenge, and, with `encrypted: true`, a per-run TLS certificate made
 * with the `openssl` command. Pools trust only that run's certificate authority (pinning).
 *
 * @module
 */
import { equalBytes, hmacSha256 } from "./_hmac_sha256.ts";
import { ConfigError } from "../dfk/errors.ts";

/** Environment variable that may carry the secret to a pool or interchange. */
export const SECRET_ENV = "TSFLOW_HTEX_SECRET";

/**
 * A fresh random secret (hex).
 *
 * @returns 64 hex characters.
 *
 * @example
 * ```ts
 * import { makeSecret } from "./auth.ts";
 * import assert from "node:assert/strict";
 * assert(makeSecret().length === 64);
 * ```
 */
export function makeSecret(): string {
  return Array.from(makeNonce(), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * A fresh challenge nonce.
 *
 * @returns 32 random bytes.
 *
 * @example
 * ```ts
 * import { makeNonce } from "./auth.ts";
 * import assert from "node:assert/strict";
 * assert(makeNonce().length === 32);
 * ```
 */
export function makeNonce(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(32));
}

/**
 * The answer to a challenge: HMAC-SHA256 of the nonce under the secret.
 *
 * @param secret The run's secret.
 * @param nonce The interchange's challenge.
 * @returns 32 bytes.
 *
 * @example
 * ```ts
 * import { hmacAnswer, verifyAnswer } from "./auth.ts";
 * import assert from "node:assert/strict";
 * const n = new Uint8Array(32);
 * assert(verifyAnswer("s", n, hmacAnswer("s", n)));
 * ```
 */
export function hmacAnswer(secret: string, nonce: Uint8Array): Uint8Array {
  return hmacSha256(new TextEncoder().encode(secret), nonce);
}

/**
 * Checks an answer in constant time.
 *
 * @param secret The run's secret.
 * @param nonce The challenge sent.
 * @param answer What the pool sent back.
 * @returns Whether the pool knows the secret.
 *
 * @example
 * ```ts
 * import { verifyAnswer } from "./auth.ts";
 * import assert from "node:assert/strict";
 * assert(!verifyAnswer("s", new Uint8Array(32), new Uint8Array(32)));
 * ```
 */
export function verifyAnswer(secret: string, nonce: Uint8Array, answer: Uint8Array): boolean {
  const expected = hmacAnswer(secret, nonce);
  return equalBytes(expected, answer);
}

/**
 * Reads the secret from a file (first line) or from {@linkcode SECRET_ENV}.
 *
 * @param secretFile Path of the 0600 secret file, if given.
 * @returns The secret.
 * @throws ConfigError when neither gives one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readSecret, writeSecretFile } from "./auth.ts";
 * const path = `${Deno.makeTempDirSync()}/secret`;
 * writeSecretFile(path, "s3cret");
 * assert.equal(readSecret(path), "s3cret");
 * ```
 */
export function readSecret(secretFile?: string): string {
  if (secretFile) return Deno.readTextFileSync(secretFile).trim();
  const env = Deno.env.get(SECRET_ENV);
  if (env) return env.trim();
  throw new ConfigError(
    `No secret: pass --secret-file PATH (the executor's 0600 file) or set ${SECRET_ENV}`,
  );
}

/**
 * Writes a secret to a new file only its owner can read.
 *
 * @param path File to create.
 * @param secret The secret.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeSecret, writeSecretFile } from "./auth.ts";
 * const path = `${Deno.makeTempDirSync()}/secret`;
 * writeSecretFile(path, makeSecret());
 * assert.equal(Deno.statSync(path).mode! & 0o777, 0o600);
 * ```
 */
export function writeSecretFile(path: string, secret: string): void {
  Deno.writeTextFileSync(path, secret + "\n", { mode: 0o600, createNew: true });
  Deno.chmodSync(path, 0o600);
}

/** Files of a per-run TLS setup. */
export interface TlsFiles {
  /** CA certificate pools pin (PEM). */
  caFile: string;
  /** The interchange's certificate (PEM). */
  certFile: string;
  /** The interchange's private key (PEM, 0600). */
  keyFile: string;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command("openssl", { args, cwd, stdout: "null", stderr: "piped" })
      .output();
  } catch (e) {
    throw new ConfigError(
      `encrypted: true needs the openssl command to make the run's certificate: ${
        (e as Error).message
      }`,
    );
  }
  if (!out.success) {
    throw new ConfigError(
      `openssl ${args[0]} failed: ${new TextDecoder().decode(out.stderr).trim()}`,
    );
  }
}

/**
 * Makes a per-run certificate authority and an interchange certificate signed by it, valid for
 * the given host names and addresses. Pools trust exactly this CA, so no other certificate works.
 *
 * @param dir Directory for the files (the executor's run directory).
 * @param hosts Names and IP addresses pools use to reach the interchange.
 * @returns The file paths.
 * @throws ConfigError when openssl is missing or fails.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeRunCertificate } from "./auth.ts";
 * const tls = await makeRunCertificate(Deno.makeTempDirSync(), ["127.0.0.1", "localhost"]);
 * assert.match(Deno.readTextFileSync(tls.certFile), /BEGIN CERTIFICATE/);
 * ```
 */
export async function makeRunCertificate(dir: string, hosts: string[]): Promise<TlsFiles> {
  const san = [...new Set(hosts)].map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`))
    .join(",");
  Deno.writeTextFileSync(
    `${dir}/leaf.ext`,
    `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n` +
      `extendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`,
  );
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await openssl(
    [
      "req",
      "-x509",
      ...ec,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "30",
      "-subj",
      "/CN=tsflow run CA",
    ],
    dir,
  );
  await openssl([
    "req",
    ...ec,
    "-keyout",
    "key.pem",
    "-out",
    "leaf.csr",
    "-subj",
    "/CN=tsflow interchange",
  ], dir);
  await openssl(
    [
      "x509",
      "-req",
      "-in",
      "leaf.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "cert.pem",
      "-days",
      "30",
      "-extfile",
      "leaf.ext",
    ],
    dir,
  );
  // The CA key is needed by no one once the leaf is signed.
  Deno.removeSync(`${dir}/ca.key`);
  Deno.chmodSync(`${dir}/key.pem`, 0o600);
  return { caFile: `${dir}/ca.pem`, certFile: `${dir}/cert.pem`, keyFile: `${dir}/key.pem` };
}
