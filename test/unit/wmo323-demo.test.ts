import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import type { Knex } from "knex";
import { seedDemo } from "../../seeds/demo";
import { createDb } from "../../src/db/knex";
import { fixedClock } from "../../src/domain/clock";
import { withdrawnLines } from "../../src/declarations/compute";
import { wmo323For, wmo323InputFor } from "../../src/declarations/exports";
import { getDeclaration, linesOf } from "../../src/declarations/repository";
import { validateIwmo } from "../../src/iwmo/schema";

// Every WMO323 the demo data gives — each declaration to the gemeente, originals and
// corrections — built the way the download builds it and checked against the official xsd.

const TODAY = "2026-11-23";

describe("demo data: every WMO323 is valid by the official iWmo 3.2 schema", function () {
  this.timeout(120_000);
  let dir: string;
  let db: Knex;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dagdeel-wmo323-"));
    db = createDb("sqlite:" + path.join(dir, "demo.sqlite"));
    await db.migrate.latest();
    await seedDemo(db, { today: TODAY, clock: fixedClock(`${TODAY}T08:00:00`) });
  });
  after(async () => {
    await db?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

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
