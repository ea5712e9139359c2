// The development server (the real frontend's dev server with HMR): serves src/ on PORT, one JSON
// log line per request. `node --watch` restarts it when a mounted file changes.
import console from "node:console";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import process from "node:process";
import { URL } from "node:url";

const root = join(import.meta.dirname, "src");
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css" };
const port = Number(process.env.PORT ?? 3000);

const server = createServer(async (request, response) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    const file = normalize(join(root, path === "/" ? "index.html" : path));
    let status = 200;
    try {
        if (!file.startsWith(root)) throw new Error("outside the root");
        const body = await readFile(file);
        response.writeHead(200, { "Content-Type": types[extname(file)] ?? "application/octet-stream" });
        response.end(body);
    } catch {
        status = 404;
        response.writeHead(404, { "Content-Type": "text/plain" }).end("Not Found\n");
    }
    console.log(
        JSON.stringify({ timestamp: new Date().toISOString(), level: "info", service: "frontend", message: "request", method: request.method, path, status }),
    );
});
server.listen(port, "0.0.0.0", () =>
    console.log(JSON.stringify({ timestamp: new Date().toISOString(), level: "info", service: "frontend", message: "listening", port })),
);
process.on("SIGTERM", () => server.close());
