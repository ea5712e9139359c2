// The error of a file the check was given that it cannot read as a plan, preview or export: exit 2.
// Its own module, so the byte-level reader can throw it without loading the SDK-bound reader.

export class InputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "InputError";
    }
}
