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
