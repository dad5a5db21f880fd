/**
 * `npm test` runs the test files in jest-light-runner's worker processes (test/light-runner.mjs), which
 * read TypeScript through tsx. `npm run test:terraform` and `test:node` run jest's own runner
 * (`--runner jest-runner`): their few files spawn terraform and systemd, and there @swc/jest transpiles
 * (`transform`). Neither type-checks: `tsc --noEmit` does, once.
 */
module.exports = {
  testEnvironment: "node",
  runner: "<rootDir>/test/light-runner.mjs",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" } }] },
  setupFilesAfterEnv: ["<rootDir>/test/setup.ts"],
  // A synthesis cache shared by the test files of one run (test/helpers/synth.ts).
  globalSetup: "<rootDir>/test/global-setup.ts",
  globalTeardown: "<rootDir>/test/global-teardown.ts",
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
  // jest's own runner enforces this; under the light runner test/setup.ts puts the same around each test.
  testTimeout: 60000,
  // Two cores here and in CI: jest's default (cores - 1) would run one file at a time.
  maxWorkers: 2,
};
