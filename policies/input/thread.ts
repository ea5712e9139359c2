// Reads an input file in a worker thread while the main thread loads the Pulumi SDKs and the rules: a
// check's reading (the file, its JSON, its resources; half a second for 10,000 resources of a preview)
// and that loading (synchronous, most of a second) then take two cores at once instead of one after
// the other. The reader (./read) loads no SDK, so the worker starts at once. What crosses back is the
// judged resources alone (the document's other parts, a preview's old states, stay behind), and the
// main thread freezes them again, as the reader hands them over (structured cloning thaws them).
import * as fs from "node:fs";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { fileProblem, PathError } from "../../lib/file-problems";
import { deepFreeze } from "../lib/values";
import { InputError } from "./errors";
import type { CheckInput } from "./read";
import { decodeInput, tooLarge } from "./text";

/** What the worker is given: the file (named by its path in messages) and the most bytes the check holds. */
interface Job {
    readonly file: string;
    readonly limit: number;
}

/** What the worker answers: the input read, or the error that stops the check (by kind, since classes do not cross threads). */
type Answer = { readonly input: CheckInput } | { readonly error: "input" | "path" | "internal"; readonly message: string; readonly stack?: string };

/** A file's text: its size checked before it is read, then decoded. */
function readFileText(file: string, limit: number): string {
    let bytes: Buffer;
    try {
        const size = fs.statSync(file).size;
        if (size > limit) throw tooLarge(file, size, limit);
        bytes = fs.readFileSync(file);
    } catch (err) {
        if (err instanceof InputError) throw err;
        throw new PathError(`${file}: cannot be read: ${fileProblem(err)}`);
    }
    return decodeInput(bytes, file, limit);
}

async function answer(job: Job): Promise<Answer> {
    try {
        const { readInput } = await import("./read");
        return { input: await readInput(readFileText(job.file, job.limit), job.file) };
    } catch (err) {
        if (err instanceof InputError) return { error: "input", message: err.message };
        if (err instanceof PathError) return { error: "path", message: err.message };
        return { error: "internal", message: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined };
    }
}

/** The input of an answer, frozen throughout as the reader hands it over; or the error reading it on this thread would throw. */
function inputOf(reply: Answer): CheckInput {
    if ("input" in reply) {
        for (const r of reply.input.resources) {
            deepFreeze(r.inputs);
            deepFreeze(r.outputs);
        }
        return reply.input;
    }
    if (reply.error === "input") throw new InputError(reply.message);
    if (reply.error === "path") throw new PathError(reply.message);
    throw Object.assign(new Error(reply.message), { stack: reply.stack });
}

/**
 * Starts reading `file` in a worker thread. The function it returns gives
 * what readInput gives; its errors wait for that call, so none is left unhandled while this thread is busy.
 */
export function startReading(file: string, limit: number): () => Promise<CheckInput> {
    const job: Job = { file, limit };
    // The worker runs this module: TypeScript, so it loads the compiler hook first.
    const worker = new Worker(`require(${JSON.stringify(require.resolve("../../tools/register.js"))}); require(${JSON.stringify(__filename)});`, {
        eval: true,
        workerData: job,
    });
    // Settled once the worker has exited, not at its answer: its memory is given back before the check
    // goes on, and whatever runs at a thread's exit (a --require'd probe) has run.
    const answered = new Promise<Answer>((resolve) => {
        let reply: Answer | undefined;
        worker.once("message", (message: Answer) => (reply = message));
        worker.once("error", (err) => (reply = { error: "internal", message: err.message, stack: err.stack }));
        worker.once("exit", (code) => resolve(reply ?? { error: "internal", message: `the input's reader stopped (exit code ${code}) without an answer` }));
    });
    return async () => inputOf(await answered);
}

if (!isMainThread && parentPort && (workerData as Partial<Job> | undefined)?.file !== undefined) {
    const port = parentPort;
    void answer(workerData as Job).then((reply) => port.postMessage(reply));
}
