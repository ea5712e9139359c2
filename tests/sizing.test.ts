// Every service of the catalog has a size in every environment; a missing one is named, with where
// to add it, before any resource exists (not a TypeError deep inside a component).
import { strict as assert } from "node:assert";
import { applicationServices } from "../components/service/catalog";
import { missingSizes, SIZING_FILE, sizes } from "../components/shared/sizing";
import { SourceError } from "../lib/file-problems";
import { isExpectedError } from "../tools/cli";
import { environments } from "../config";

describe("sizing table", () => {
    it("sizes every catalog service in every environment", () => {
        assert.equal(missingSizes(sizes, applicationServices), undefined);
        for (const environment of environments)
            for (const service of applicationServices) assert.ok(sizes[environment][service], `${service} in ${environment}`);
    });

    it("names a catalog service without a size, each environment, the file and the key to add: the user's edit to finish (exit 2)", () => {
        const err = missingSizes(sizes, [...applicationServices, "scheduler"]);
        assert.ok(err instanceof SourceError);
        assert.deepEqual([err.file, err.key], [SIZING_FILE, "scheduler"]);
        assert.equal(
            err.message,
            'components/shared/sizing.ts: no size for scheduler (development, staging, production): add the key "scheduler" ({ memoryMb, cpus }) to its development table, and to production and staging where they differ; every service of components/service/catalog.ts needs one',
        );
        assert.ok(isExpectedError(err), "the tools exit 2 with its message, not 'internal error' and 3");
        const { development, production } = sizes;
        assert.match(
            String(missingSizes({ development, production: { ...production, backend: undefined } }, applicationServices)?.message),
            /no size for backend \(production\)/,
        );
    });
});
