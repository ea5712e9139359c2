// The development target's command: runs server.mjs, and runs it again when one of the application's
// own files changes, logging each restart as one line like every other (node --watch writes its own
// plain-text "Restarting" line). It watches through inotify (fs.watch, no polling) the source folder
// and the files beside it, never the dependency directory (node_modules, a volume of its own).
import { spawn } from "node:child_process";
import { watch } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { clearTimeout, setTimeout } from "node:timers";
import { failure, logger, settingsOrRefuse } from "./settings.mjs";

const root = import.meta.dirname;
/** Watched with every file below it. */
const SOURCE_DIR = "src";
/** Watched beside it (the folder itself, so an editor's save-by-rename is seen too). */
const SOURCE_FILES = new Set(["server.mjs", "settings.mjs", "dev.mjs", "package.json"]);
/** An editor's save is several events: one restart for them all. */
const SETTLE_MS = 100;

const settings = settingsOrRefuse();
if (settings) {
    const log = logger(settings);
    let server;
    let restarting = false;
    let stopping = false;
    let changed = new Set();
    let settle;

    const start = () => {
        server = spawn(process.execPath, [join(root, "server.mjs")], { stdio: "inherit" });
        server.on("error", (error) => log("error", "the server did not start", failure(settings, error)));
        server.on("exit", (code, signal) => {
            server = undefined;
            if (stopping) process.exit(code ?? 0);
            else if (restarting) {
                restarting = false;
                start();
            } else log("error", "the server stopped; waiting for a source change", { code, signal });
        });
    };
    const restart = () => {
        log("info", "source changed, restarting", { changed: [...changed].sort() });
        changed = new Set();
        if (!server) return start();
        restarting = true;
        server.kill("SIGTERM");
    };
    const note = (file) => {
        changed.add(file);
        clearTimeout(settle);
        settle = setTimeout(restart, SETTLE_MS);
    };
    watch(join(root, SOURCE_DIR), { recursive: true }, (_event, file) => note(join(SOURCE_DIR, file ?? "")));
    watch(root, (_event, file) => {
        if (SOURCE_FILES.has(file)) note(file);
    });
    process.on("SIGTERM", () => {
        stopping = true;
        clearTimeout(settle);
        if (server) server.kill("SIGTERM");
        else process.exit(0);
    });
    log("debug", "watching for changes", { paths: [`${SOURCE_DIR}/`, ...SOURCE_FILES] });
    start();
}
