/** The timeouts test/setup.ts puts around tests and hooks where jest-light-runner runs them (it has none). */
import { withTimeout } from "./helpers/light-runner-setup";

describe("withTimeout", () => {
  it("fails a body that has not settled in time, naming it and the limit", async () => {
    const never = withTimeout(() => new Promise(() => undefined), 20, 'test "hangs"');
    await expect(never()).rejects.toThrow('test "hangs" did not finish within 20 ms (the test timeout)');
  });

  it("passes a body's value, its arguments and its failure through", async () => {
    await expect(withTimeout((a, b) => `${a}-${b}`, 1_000, "sync")("x", "y")).resolves.toBe("x-y");
    await expect(withTimeout(async () => 7, 1_000, "async")()).resolves.toBe(7);
    await expect(
      withTimeout(() => {
        throw new TypeError("boom");
      }, 1_000, "throws")(),
    ).rejects.toThrow(TypeError);
  });
});
