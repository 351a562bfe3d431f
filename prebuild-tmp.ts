import { postgresRegion, sqliteRegion } from "./test/bench/region-db";

async function main() {
  const options = { seed: 1, scale: 1, today: "2026-11-23" };
  const log = (l: string) => console.log(l);
  const t = Date.now();
  console.log(await sqliteRegion(options, false, log), (Date.now() - t) / 1000);
  const t2 = Date.now();
  console.log(await postgresRegion("postgres://postgres@127.0.0.1:5433/postgres", options, false, log, "perf_region"), (Date.now() - t2) / 1000);
}
main().catch((e) => { console.error(e); process.exit(1); });
