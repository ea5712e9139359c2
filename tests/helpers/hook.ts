// How the tests start the project's tools: with the TypeScript hook package.json's scripts use
// (tools/register.js: compiled once and cached).
import * as path from "node:path";

export const TS_HOOK = path.resolve(__dirname, "..", "..", "tools", "register.js");
