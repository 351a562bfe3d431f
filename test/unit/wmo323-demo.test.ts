import { expect } from "chai";
import type { Knex } from "knex";
import { withdrawnLines } from "../../src/declarations/compute";
import { wmo323For, wmo323InputFor } from "../../src/declarations/exports";
import { getDeclaration, linesOf } from "../../src/declarations/repository";
import { validateIwmo } from "../../src/iwmo/schema";
import { openTestDatabase, type OpenTestDatabase } from "../support/database";
import { DEMO_TODAY } from "../support/templates";

// Every WMO323 the demo data gives — each declaration to the gemeente, originals and
// corrections — built the way the download builds it and checked against the official xsd.

// The day the demo template was loaded for.
const TODAY = DEMO_TODAY;

describe("demo data: every WMO323 is valid by the official iWmo 3.2 schema", function () {
  this.timeout(120_000);
  let demo: OpenTestDatabase;
  let db: Knex;

  before(async () => {
    demo = await openTestDatabase("sqlite", "demo");
    db = demo.db;
  });
  after(async () => demo?.close());

  it("validates each of them", async () => {
    const ids: { id: number }[] = await db("declarations as d").join("organisations as o", "o.id", "d.purchaser_id").where("o.subkind", "gemeente").select("d.id").orderBy("d.id");
    expect(ids.length).to.be.greaterThan(3);
    for (const { id } of ids) {
      const d = (await getDeclaration(db, id))!;
      const built = wmo323For(wmo323InputFor(d, await linesOf(db, [id]), await withdrawnLines(db, d), TODAY));
      expect(built.problems, `declaration ${id}`).to.deep.equal([]);
      const result = await validateIwmo("WMO323", built.xml!);
      expect(result.problems, `declaration ${id}`).to.deep.equal([]);
    }
  });
});
