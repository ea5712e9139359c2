// The bytes the check is given, made text: refused up front when larger than the check can hold, and
// read as UTF-8 only (what the Pulumi CLI writes; Go's encoding/json writes nothing else). UTF-16
// (PowerShell's `>` writes it) is named and how to convert it said; invalid UTF-8 is refused with its
// line and byte, never read as U+FFFD, so no two different files read as the same text.
import { constants, isAscii, isUtf8 } from "node:buffer";
import * as fs from "node:fs";
import { getHeapStatistics } from "node:v8";
import { fileProblem, PathError } from "../../lib/file-problems";
import { InputError } from "./errors";

/**
 * The largest input this process can hold: the longest string V8 makes (the text JSON.parse reads),
 * and a quarter of the heap, since reading takes up to 4 times the input's size.
 */
export function maxInputBytes(): number {
    return Math.min(constants.MAX_STRING_LENGTH, Math.floor(getHeapStatistics().heap_size_limit / 4));
}

const MB = 1024 * 1024;
const megabytes = (bytes: number) => `${(bytes / MB).toFixed(1)} MiB`;

/** The error for an input of `bytes` bytes (or more, for a stream cut short) over `limit`. */
export function tooLarge(source: string, bytes: number, limit: number, atLeast = false): InputError {
    return new InputError(
        `${source}: ${atLeast ? "more than " : ""}${megabytes(bytes)} (${bytes} bytes), more than the ${megabytes(limit)} this check can hold; check a smaller stack or part of it`,
    );
}

/** UTF-16 by its byte-order mark, or by the zero byte beside the first ASCII character. */
function utf16(bytes: Uint8Array): "little-endian" | "big-endian" | undefined {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return "little-endian";
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return "big-endian";
    if (bytes.length >= 2 && bytes[0] !== 0 && bytes[1] === 0) return "little-endian";
    if (bytes.length >= 2 && bytes[0] === 0 && bytes[1] !== 0) return "big-endian";
    return undefined;
}

/** The offset of the first byte that does not start a valid UTF-8 sequence (for the message: `bytes` is known invalid). */
function firstInvalid(bytes: Uint8Array): number {
    for (let i = 0; i < bytes.length;) {
        const lead = bytes[i];
        if (lead < 0x80) {
            i++;
            continue;
        }
        const length = lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
        if (length === 0 || !isUtf8(bytes.subarray(i, i + length))) return i;
        i += length;
    }
    return bytes.length;
}

/** `bytes` as text, or an InputError naming `source` and what is wrong with them. */
export function decodeInput(bytes: Buffer, source: string, limit = maxInputBytes()): string {
    if (bytes.length > limit) throw tooLarge(source, bytes.length, limit);
    const wide = utf16(bytes);
    if (wide)
        throw new InputError(
            `${source}: expected UTF-8 JSON, found UTF-16 (${wide}) text, as PowerShell's ">" writes; convert it (iconv -f UTF-16 -t UTF-8 <file> > <file>.utf8.json) or write it as UTF-8 (| Out-File -Encoding utf8 <file>)`,
        );
    // Most exports are ASCII (Go's encoder escapes nothing else, but writes UTF-8 as is): one fast check,
    // and a one-byte string made without decoding.
    if (isAscii(bytes)) return bytes.toString("latin1");
    if (!isUtf8(bytes)) {
        const at = firstInvalid(bytes);
        let line = 1;
        for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
        throw new InputError(
            `${source}:${line}: byte ${at}: expected UTF-8, found the byte 0x${bytes[at].toString(16).padStart(2, "0")}, which starts no UTF-8 character there; the check reads UTF-8 only, as the Pulumi CLI writes it`,
        );
    }
    return bytes.toString("utf8");
}

/** A stream's bytes, counted as they come: more than `limit` is refused before it is all in memory. */
async function readCounted(stream: NodeJS.ReadableStream, source: string, limit: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const chunk of stream) {
        bytes += (chunk as Buffer).length;
        if (bytes > limit) throw tooLarge(source, bytes, limit, true);
        chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
}

/**
 * The text of `file`, or of standard input for "-": a regular file's size checked before it is read,
 * then decoded. A pipe's or a device's size is unknown (stat says 0: `<(cmd)`, /dev/zero), so it is
 * counted as it comes instead. Standard input is read as a stream too: a pipe's descriptor may be
 * non-blocking (Node makes it so once anything touches process.stdin), and readFileSync(0) then
 * fails with EAGAIN while the writer is still writing.
 */
export async function readInputText(file: string, limit = maxInputBytes()): Promise<string> {
    const source = file === "-" ? "standard input" : file;
    let bytes: Buffer;
    try {
        const stat = file === "-" ? undefined : fs.statSync(file);
        if (stat && (stat.isFile() || stat.isDirectory())) {
            if (stat.size > limit) throw tooLarge(file, stat.size, limit);
            bytes = fs.readFileSync(file);
        } else bytes = await readCounted(stat ? fs.createReadStream(file) : process.stdin, source, limit);
    } catch (err) {
        if (err instanceof InputError) throw err;
        throw new PathError(`${file}: cannot be read: ${fileProblem(err)}`);
    }
    return decodeInput(bytes, source, limit);
}
