// `npm run lint`: ESLint (flat config) with typescript-eslint's recommended rules, tuned to how this
// code is written. Formatting is Prettier's job (`npm run format`), so stylistic rules are off.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";
import globals from "globals";

export default tseslint.config(
  {
    ignores: ["dist/", "data/", "node_modules/", "platform/db/generated/", "subgraphs/*/generated/", "examples/generated/", "bench/out/", "scratch/"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // Unused bindings are errors, except the deliberately ignored (_name) and rest siblings.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
      // `void promise` marks fire-and-forget calls on purpose.
      "no-void": "off",
      "no-constant-condition": ["error", { checkLoops: false }],
    },
  },
  {
    files: ["web/**"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Tests and benchmarks read GraphQL responses as loosely typed JSON and assert on their shape.
    files: ["test/**", "bench/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
);
