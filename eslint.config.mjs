// Lints the project's TypeScript. The one rule that matters most for speed: never import a
// provider package from its root, which loads every binding (~0.5 GB, ~4 s per process).
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "cdktf.out/**", ".gen/**", "coverage/**", "**/*.js", "**/*.mjs"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^@cdktf/provider-[a-z0-9-]+$",
              message: "Import provider classes from '@cdktf/provider-<name>/lib/<resource>', never from the package root.",
            },
          ],
        },
      ],
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    // Tests read synthesized Terraform JSON, which has no static type.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
