// The production build: src/ into dist/, stamped with the build time (the stand-in's "bundler").
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import process from "node:process";

const out = process.argv[2] ?? "dist";
cpSync("src", out, { recursive: true });
const index = `${out}/index.html`;
writeFileSync(index, readFileSync(index, "utf8").replace("__BUILD__", new Date().toISOString()));
