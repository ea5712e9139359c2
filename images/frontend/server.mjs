// The development server (the real frontend's dev server with HMR): serves src/ on PORT, one log
// line per request (settings.mjs). dev.mjs runs it again when a source file changes.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import process from "node:process";
import { URL } from "node:url";
import { failure, logger, settingsOrRefuse } from "./settings.mjs";

const root = join(import.meta.dirname, "src");
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css" };
const settings = settingsOrRefuse();

if (settings) {
    const log = logger(settings);
    const port = Number(process.env.PORT ?? 3000);
    const server = createServer(async (request, response) => {
        const path = new URL(request.url ?? "/", "http://localhost").pathname;
        const file = normalize(join(root, path === "/" ? "index.html" : path));
        try {
            if (!file.startsWith(root)) throw new Error(`${path} is outside the served folder`);
            const body = await readFile(file);
            response.writeHead(200, { "Content-Type": types[extname(file)] ?? "application/octet-stream" });
            response.end(body);
            log("info", "request", { method: request.method, path, status: 200 });
        } catch (error) {
            response.writeHead(404, { "Content-Type": "text/plain" }).end("Not Found\n");
            log("warning", "request", { method: request.method, path, status: 404, ...failure(settings, error) });
        }
    });
    log("debug", "settings", { debug: settings.debug, log_level: settings.level, log_format: settings.format });
    server.listen(port, "0.0.0.0", () => log("info", "listening", { port }));
    process.on("SIGTERM", () => server.close());
}
