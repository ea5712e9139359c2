// Coverage (c8, `npm run coverage`) is measured in the processes that run the tests. A process
// they start inherits NODE_V8_COVERAGE and would write the coverage of every script it loads: for
// a tool that loads the Pulumi SDKs, ~8 MB and ~0.3 s more per process, a third of the suite's
// time across the hundred-odd tools the tests run. Those runs are asserted by their tests all the
// same; only their lines are not counted. A root hook runs where the tests run (each worker of
// `parallel`), after Node has read the variable for this process itself.
//
// Each test file's coverage is also written when the file ends (v8.takeCoverage), not only when
// the process exits: mocha's pool (workerpool) stops its workers without waiting for V8's exit-time
// write, and on a slow machine they were stopped before it, so whole files' coverage was lost and
// the gate failed with every test passing. Node fixed the directory at start-up, so deleting the
// variable does not stop this write; c8 merges the partial reports.
import * as v8 from "node:v8";

const measuring = Boolean(process.env.NODE_V8_COVERAGE);

export const mochaHooks = {
    beforeAll(): void {
        delete process.env.NODE_V8_COVERAGE;
    },
    afterAll(): void {
        if (measuring) v8.takeCoverage();
    },
};
