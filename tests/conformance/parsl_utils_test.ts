// Parsl's parsl/tests/test_utils/test_execute_wait.py and unit/test_file.py scenarios: tsflow's
// runCommand (the command runner providers use) and File. See docs/parsl-conformance.md.
import { assert, assertEquals } from "../_assert.ts";
import { File } from "../../mod.ts";
import { runCommand } from "../../providers/command_runner.ts";

Deno.test("test_execute_wait: test_env: a command sees the caller's PATH and HOME", async () => {
  const r = await runCommand(["bash", "-c", "env"], { timeout: 10 });
  assertEquals(r.exitCode, 0);
  const lines = r.stdout.split("\n");
  assert(lines.some((l) => l.startsWith("PATH=")), "PATH not found");
  assert(lines.some((l) => l.startsWith("HOME=")), "HOME not found");
});

Deno.test("test_execute_wait: test_large_output_2210: a large output does not hang", async () => {
  const r = await runCommand(["bash", "-c", "yes | dd count=128 bs=1024 2>/dev/null"], {
    timeout: 60,
  });
  assertEquals(r.exitCode, 0);
  assertEquals(r.timedOut, false);
  assertEquals(r.stdout.length, 128 * 1024);
});

// parsl/tests/unit/test_file.py
Deno.test("unit/test_file: test_file_init_scheme: url, scheme, netloc, path and filename", () => {
  for (const scheme of ["http", "https", "ftp", "ftps", "asdfasdf"]) {
    const url = `${scheme}://some.fqdn.example.com/some/path/1/2/3/some_base_name`;
    const f = new File(url);
    assertEquals(
      [f.url, f.scheme, f.netloc, f.path, f.filename, f.localPath],
      [
        url,
        scheme,
        "some.fqdn.example.com",
        "/some/path/1/2/3/some_base_name",
        "some_base_name",
        undefined,
      ],
    );
  }
});

Deno.test("unit/test_file: test_file_proxies_for_filepath, test_file_filepath_local_path_is_priority", () => {
  for (const url of ["file:///some/local/path", "/some/local/path"]) {
    const f = new File(url);
    f.localPath = "/elsewhere/x";
    assertEquals([f.filepath, String(f), `${f}`], ["/elsewhere/x", "/elsewhere/x", "/elsewhere/x"]);
    f.localPath = undefined;
    assertEquals([f.filepath, String(f)], ["/some/local/path", "/some/local/path"]);
  }
});
