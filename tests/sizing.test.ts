// Every service of the catalog has a size in every environment; a missing one is named, with where
// to add it, before any resource exists (not a TypeError deep inside a component).
import { strict as assert } from "node:assert";
import { applicationServices } from "../components/service/catalog";
import { missingSizes, sizes } from "../components/shared/sizing";
import { environments } from "../config";

describe("sizing table", () => {
    it("sizes every catalog service in every environment", () => {
        assert.equal(missingSizes(sizes, applicationServices), undefined);
        for (const environment of environments)
            for (const service of applicationServices) assert.ok(sizes[environment][service], `${service} in ${environment}`);
    });

    it("names a catalog service without a size, each environment, and the file to add it to", () => {
        assert.equal(
            missingSizes(sizes, [...applicationServices, "scheduler"]),
            "no size for scheduler in development, scheduler in staging, scheduler in production: add each service of components/service/catalog.ts to components/shared/sizing.ts",
        );
    });
});
