// Lint rules for the whole project: ESLint's and typescript-eslint's recommended sets, plus the
// Pulumi plugin's rules, which need type information to recognise an Output in a template literal.
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
    { ignores: ["node_modules/", "coverage/", ".nyc_output/"] },
    js.configs.recommended,
    tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            // A leading underscore marks a value deliberately left unused (e.g. a key dropped by destructuring).
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
        },
    },
    {
        // The require hook is plain CommonJS: it is what lets Node load the TypeScript.
        files: ["tools/register.js"],
        languageOptions: {
            sourceType: "commonjs",
            globals: { require: "readonly", module: "readonly", __dirname: "readonly", process: "readonly", Buffer: "readonly" },
        },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
);
