// Lint rules for the whole project: ESLint's and typescript-eslint's recommended sets, plus the
// Pulumi plugin's rules, which need type information to recognise an Output in a template literal,
// and no import cycles in the program, its tools and the pack.
import js from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import { createNodeResolver, importX } from "eslint-plugin-import-x";
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
        // A cycle makes what a module sees at load depend on who loaded it first (a constant still
        // undefined); every shared value lives in a module that imports none of its readers instead
        // (the ports in components/service/catalog.ts, the database's names in components/database/roles.ts).
        files: ["*.ts", "components/**/*.ts", "tools/**/*.ts", "lib/**/*.ts", "policies/**/*.ts"],
        plugins: { "import-x": importX },
        settings: {
            "import-x/resolver-next": [createNodeResolver({ extensions: [".ts", ".js"] })],
            "import-x/parsers": { "@typescript-eslint/parser": [".ts"] },
            "import-x/extensions": [".ts", ".js"],
        },
        rules: { "import-x/no-cycle": ["error", { ignoreExternal: true }] },
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
