// Text from a document (a URN, a name, a message quoting a value) printed to a terminal: a control
// character in it could move the cursor, recolour or retitle the terminal, or forge a line of the
// report (ESC sequences, NUL, C1 controls such as CSI U+009B, line breaks, bidirectional overrides).
// Each is written as its JSON escape (\u001b) instead, so the text stays visible and nothing acts on it.

// C0 controls (line breaks and tabs included), DEL, C1 controls, the line and paragraph separators and
// the bidirectional embeddings, overrides and isolates ("Trojan Source", CVE-2021-42574).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every control character written as its escape, e.g. ESC as \u001b. */
export function printable(text: string): string {
    return text.replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
