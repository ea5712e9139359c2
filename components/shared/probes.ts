// Health-check commands (exec form) probing an HTTP endpoint inside the container itself, each with
// a client its image is guaranteed to contain (docs/image-contract.md): no curl, which the
// python:*-slim and node base images do not ship.

/** busybox wget, which alpine and busybox-based images ship. */
export function wgetProbe(port: number, path: string): string[] {
    return ["CMD", "wget", "-q", "--spider", `http://127.0.0.1:${port}${path}`];
}

/** The image's own python: urlopen raises on a refused connection and on any HTTP error status. */
export function pythonProbe(port: number, path: string): string[] {
    return ["CMD", "python", "-c", `import urllib.request; urllib.request.urlopen("http://127.0.0.1:${port}${path}", timeout=5)`];
}

/** The image's own node (18+ has fetch): exits 1 on a refused connection or a status outside 200-299. */
export function nodeProbe(port: number, path: string): string[] {
    return ["CMD", "node", "-e", `fetch("http://127.0.0.1:${port}${path}").then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`];
}
