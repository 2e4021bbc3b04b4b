import { createHash, createHmac } from "node:crypto";
import { assert, assertEquals } from "../_assert.ts";
import { equalBytes, hmacSha256, sha256 } from "../../interchange/_hmac_sha256.ts";
import { hmacAnswer, makeSecret, verifyAnswer } from "../../interchange/auth.ts";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

Deno.test("sha256() matches node:crypto for every length around the padding edges", () => {
  for (let n = 0; n < 300; n++) {
    const data = crypto.getRandomValues(new Uint8Array(n));
    assertEquals(hex(sha256(data)), createHash("sha256").update(data).digest("hex"), `n=${n}`);
  }
});

Deno.test("hmacSha256() matches node:crypto for short, block-sized and long keys", () => {
  for (const keyLen of [0, 1, 32, 63, 64, 65, 200]) {
    const key = crypto.getRandomValues(new Uint8Array(keyLen));
    const msg = crypto.getRandomValues(new Uint8Array(keyLen * 3 + 7));
    assertEquals(hex(hmacSha256(key, msg)), createHmac("sha256", key).update(msg).digest("hex"));
  }
});

Deno.test("a pool's answer verifies only under the run's secret and its own nonce", () => {
  const secret = makeSecret();
  assert(/^[0-9a-f]{64}$/.test(secret), secret);
  const nonce = crypto.getRandomValues(new Uint8Array(32));
  const answer = hmacAnswer(secret, nonce);
  assertEquals(hex(answer), createHmac("sha256", secret).update(nonce).digest("hex"));
  assert(verifyAnswer(secret, nonce, answer));
  assert(!verifyAnswer(makeSecret(), nonce, answer));
  assert(!verifyAnswer(secret, crypto.getRandomValues(new Uint8Array(32)), answer));
  assert(!equalBytes(answer, answer.subarray(1)));
});
