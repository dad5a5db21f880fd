/** Tests are transpiled by @swc/jest without type checking; `tsc --noEmit` type-checks once. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }] },
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  // A synthesis cache shared by the test files of one run (test/helpers/synth.ts).
  globalSetup: "<rootDir>/test/global-setup.ts",
  globalTeardown: "<rootDir>/test/global-teardown.ts",
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
  testTimeout: 60000,
  // Two cores here and in CI: jest's default (cores - 1) would run one file at a time.
  maxWorkers: 2,
};
