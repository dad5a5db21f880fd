/**
 * The terraform toolchain helpers for tests. They live in scripts/terraform-toolchain.ts, since the
 * scripts (`npm run tftest`, `test:cdk-terrain`, `test:consumer`) use them too and scripts do not
 * import from test/.
 */
export * from "../../scripts/terraform-toolchain";
