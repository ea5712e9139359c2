// The settings every image reads (docs/image-contract.md, "Settings and credentials"), each required
// and checked before anything else, and the log they shape: one JSON object per line on stdout
// (LOG_FORMAT=json) at LOG_LEVEL and above, naming SERVICE_NAME and ENVIRONMENT; with DEBUG=true a
// failure's line carries its stack trace. The python stand-in's service.py does the same.
import console from "node:console";
import process from "node:process";

export const LEVELS = { debug: 10, info: 20, warning: 30, error: 40 };
const ENVIRONMENTS = ["development", "staging", "production"];
const FORMATS = ["json", "text"];
/** The exit code of a missing or invalid setting. */
export const CONFIG_EXIT = 2;

export function readSettings(env) {
    const problems = [];
    const read = (name, expected, valid) => {
        const value = env[name];
        if (value === undefined || !valid(value)) {
            problems.push({ variable: name, expected, found: value ?? "nothing" });
            return undefined;
        }
        return value;
    };
    return {
        service: read("SERVICE_NAME", "the service's name (the log's service field)", (v) => v !== ""),
        environment: read("ENVIRONMENT", `one of ${ENVIRONMENTS.join(", ")}`, (v) => ENVIRONMENTS.includes(v)),
        debug: read("DEBUG", "true or false", (v) => v === "true" || v === "false") === "true",
        level: read("LOG_LEVEL", `one of ${Object.keys(LEVELS).join(", ")}`, (v) => v in LEVELS) ?? "info",
        format: read("LOG_FORMAT", `one of ${FORMATS.join(", ")}`, (v) => FORMATS.includes(v)) ?? "json",
        problems,
    };
}

/** `log(level, message, fields)` as the settings say. */
export function logger(settings) {
    return (level, message, fields = {}) => {
        if (LEVELS[level] < LEVELS[settings.level]) return;
        const timestamp = new Date().toISOString();
        const record = { timestamp, level, service: settings.service, message, ...fields, environment: settings.environment };
        if (settings.format === "text") {
            const extra = Object.entries(record)
                .slice(4)
                .map(([key, value]) => ` ${key}=${JSON.stringify(value)}`)
                .join("");
            console.log(`${timestamp} ${level.toUpperCase()} ${settings.service} ${message}${extra}`);
        } else {
            console.log(JSON.stringify(record));
        }
    };
}

/** A failure's fields for its log line: the error, and its stack trace when DEBUG is on. */
export function failure(settings, error) {
    return { error: error.message, ...(settings.debug ? { traceback: error.stack } : {}) };
}

/** The settings, or one JSON line per problem and exit code 2 (the caller returns). */
export function settingsOrRefuse() {
    const settings = readSettings(process.env);
    const timestamp = new Date().toISOString();
    for (const problem of settings.problems) {
        console.log(JSON.stringify({ timestamp, level: "error", service: settings.service ?? "unknown", message: "invalid setting", ...problem }));
    }
    if (settings.problems.length > 0) process.exitCode = CONFIG_EXIT;
    return settings.problems.length > 0 ? undefined : settings;
}
