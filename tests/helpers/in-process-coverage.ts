// Coverage (c8, `npm run coverage`) is measured in the processes that run the tests. A process
// they start inherits NODE_V8_COVERAGE and would write the coverage of every script it loads: for
// a tool that loads the Pulumi SDKs, ~8 MB and ~0.3 s more per process, a third of the suite's
// time across the hundred-odd tools the tests run. Those runs are asserted by their tests all the
// same; only their lines are not counted. A root hook runs where the tests run (each worker of
// `parallel`), after Node has read the variable for this process itself.
export const mochaHooks = {
    beforeAll(): void {
        delete process.env.NODE_V8_COVERAGE;
    },
};
