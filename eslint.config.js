import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "node_modules/**", ".data/**", "app/generated/**", "extensions/*/dist/**", "public/build/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    // The pure core: plain data in, plain data out. No I/O, no framework, no database, no clock
    // (architecture guide §2); this rule keeps it that way.
    files: ["app/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["react", "react-dom", "@remix-run/*", "@prisma/*", "~/generated/*", "@shopify/polaris", "@shopify/app-bridge-react"], message: "app/domain is pure: no framework or database imports." },
            { group: ["node:fs", "node:net", "node:http", "node:https", "node:child_process", "fs", "http", "https", "pg", "pg-boss"], message: "app/domain is pure: no I/O." },
            { group: ["**/.server/**", "~/.server/*", "*.server"], message: "app/domain must not import server modules." },
          ],
        },
      ],
      "no-restricted-properties": ["error", { object: "Date", property: "now", message: "Pass `now` in; domain code never reads the clock." }],
      "no-restricted-syntax": ["error", { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Pass `now` in; domain code never reads the clock." }],
    },
  },
  {
    // Benchmarks report on stdout by design.
    files: ["tests/bench/**/*.ts"],
    rules: { "no-console": "off" },
  },
  {
    files: ["scripts/**/*.mjs", "server.mjs", "bin/**/*.mjs", "tests/e2e/**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", setTimeout: "readonly", fetch: "readonly" } },
    rules: { "no-console": "off" },
  },
);
