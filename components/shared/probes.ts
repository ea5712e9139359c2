// Health-check commands (exec form) probing an HTTP endpoint inside the container itself.

/** busybox wget, which alpine and busybox-based images ship. */
export function wgetProbe(port: number, path: string): string[] {
    return ["CMD", "wget", "-q", "--spider", `http://127.0.0.1:${port}${path}`];
}

/** curl, which the python-based images ship; fails on an HTTP error status. */
export function curlProbe(port: number, path: string): string[] {
    return ["CMD", "curl", "-fsS", "-o", "/dev/null", `http://127.0.0.1:${port}${path}`];
}
