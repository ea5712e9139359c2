// Mocha's settings. The whole suite by default; when the command line names test files or folders
// (`npm run test:one -- tests/x.test.ts`, `npx mocha tests/x.test.ts`), only those: mocha adds a
// config's `spec` to the files it is given, so the suite's glob applies only when none is given.
/* global require, module, process */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- mocha loads its config as CommonJS
const os = require("node:os");

// Options whose next word is their value, not a test file.
const TAKES_VALUE = new Set([
    "--ignore",
    "--exclude",
    "--file",
    "--require",
    "-r",
    "--reporter",
    "-R",
    "--grep",
    "-g",
    "--fgrep",
    "-f",
    "--config",
    "--extension",
    "--timeout",
    "-t",
]);

function namesTests(argv) {
    // Any word that looks like a test path names tests, whether or not it exists: a quoted glob
    // (`npx mocha 'tests/policies/**/*.test.ts'`) matches no file by its own name, and a mistyped
    // file must fail as not found, not run the whole suite.
    return argv.some((arg, i) => !arg.startsWith("-") && !TAKES_VALUE.has(argv[i - 1]) && (/^(\.\/)?tests(\/|$)/.test(arg) || /\.test\.ts$/.test(arg)));
}

module.exports = {
    // The hook package.json's scripts use (cached, and with source maps under coverage), and
    // coverage counted in the test processes only (tests/helpers/in-process-coverage.ts).
    require: ["./tools/register.js", "./tests/helpers/in-process-coverage.ts", "./tests/helpers/temp-folders.ts"],
    extension: ["ts"],
    spec: namesTests(process.argv.slice(2)) ? [] : ["tests/**/*.test.ts"],
    // A guard against a hung test, not a speed limit: CI may run on a busy machine, where a suite that
    // takes 2 minutes on a quiet one took 9 (tests poll with deadlines of their own where they wait).
    timeout: 600000,
    // The Docker end-to-end test runs on its own (`npm run test:dev-stack`, a step of `npm test`
    // after the coverage run): it starts a daemon and waits on health checks for minutes.
    ignore: namesTests(process.argv.slice(2)) ? [] : ["tests/e2e/**"],
    reporter: "spec",
    // Test files in two worker processes at least: most of the suite waits on child processes and
    // servers, so even two cores finish it in about three quarters of the time.
    parallel: true,
    jobs: Math.max(2, os.availableParallelism() - 1),
};
