import fs from "node:fs";
import path from "node:path";
import type { Knex } from "knex";

// The migrations are TypeScript files in db/migrations. Run from source (tsx) they load as
// .ts; in the production build (npm run build) they are compiled to .js next to the rest.
// knex records each migration by file name, so a database migrated from source must read the
// same names when the build serves it: every migration is recorded as "<name>.ts", whichever
// file the running code loads.

type Spec = { name: string; file: string };

/** .ts under tsx, .js once compiled: the extension of this very file says which. */
const OWN_EXTENSION = path.extname(__filename) === ".ts" ? ".ts" : ".js";

export class MigrationFiles implements Knex.MigrationSource<Spec> {
  constructor(private readonly directory: string) {}

  async getMigrations(): Promise<Spec[]> {
    return fs
      .readdirSync(this.directory)
      .filter((f) => f.endsWith(OWN_EXTENSION) && !f.endsWith(".d.ts"))
      .sort()
      .map((f) => ({ name: `${f.slice(0, -OWN_EXTENSION.length)}.ts`, file: path.join(this.directory, f) }));
  }

  getMigrationName(spec: Spec): string {
    return spec.name;
  }

  async getMigration(spec: Spec): Promise<Knex.Migration> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(spec.file) as Knex.Migration;
  }
}
