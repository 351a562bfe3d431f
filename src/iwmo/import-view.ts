import { maskBsn } from "../domain/bsn";
import { clientWrites, type ClientPlan, type FileProblem, type ImportPlan, type ProductPlan, type ProductProblem } from "./import-plan";
import type { RefusedFile } from "./import-service";
import { joinStreet, preferredAddress } from "./person";
import type { MappingNote } from "./codes";

// The import plan in the words of the page: every problem and note as a locale key with its
// parameters, so the template only translates. Pure.

export type Said = { key: string; params: Record<string, string | number> };

const say = (key: string, params: Record<string, string | number> = {}): Said => ({ key, params });

/** Puts the parameters of every Said in a view into the page's words (dates as d-M-yyyy). */
export function localised<T>(view: T, words: (params: Record<string, string | number>) => Record<string, string>): T {
  if (Array.isArray(view)) return view.map((v) => localised(v, words)) as T;
  if (!view || typeof view !== "object") return view;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(view)) out[k] = k === "params" && v && typeof v === "object" ? words(v as Record<string, string | number>) : localised(v, words);
  return out as T;
}

export function fileProblem(p: FileProblem): Said {
  switch (p.code) {
    case "unknownGemeente":
      return say("iwmo.import.fileProblems.unknownGemeente", { code: p.gemeentecode });
    case "notGemeente":
      return say("iwmo.import.fileProblems.notGemeente", { name: p.name });
    case "unknownProvider":
      return say("iwmo.import.fileProblems.unknownProvider", { agb: p.agb });
    case "otherProvider":
      return say("iwmo.import.fileProblems.otherProvider", { agb: p.agb });
  }
}

export function productProblem(p: ProductProblem): Said & { addProduct?: string } {
  switch (p.code) {
    case "unknownProduct":
      return {
        ...say("iwmo.import.productProblems.unknownProduct", { category: p.category, code: p.productCode }),
        addProduct: `/beheer/producten/nieuw?${new URLSearchParams({ iwmo_category: p.category, iwmo_code: p.productCode })}`,
      };
    case "inactiveProduct":
      return say("iwmo.import.productProblems.inactiveProduct", { code: p.productCode });
    case "mapping": {
      const d = p.detail;
      if (d.code === "eenheid" || d.code === "notWhole") return say(`iwmo.import.productProblems.${d.code}`, { fromUnit: d.from, toUnit: d.to, volume: "volume" in d ? d.volume : "" });
      if (d.code === "frequentie") return say("iwmo.import.productProblems.frequentie", { code: d.frequentie });
      if (d.code === "tooLarge") return say("iwmo.import.productProblems.tooLarge", { volume: d.volume });
      return say("iwmo.import.productProblems.zero");
    }
    case "clientEnded":
      return say("iwmo.import.productProblems.clientEnded", { date: p.endedOn });
    default:
      return say(`iwmo.import.productProblems.${p.code}`);
  }
}

export function note(n: MappingNote): Said {
  return n.code === "perDay" ? say("iwmo.import.notes.perDay", { perDay: n.perDay }) : say("iwmo.import.notes.converted", { volume: n.volume, fromUnit: n.from, toUnit: n.to });
}

function productRow(p: ProductPlan) {
  const m = p.message;
  return {
    toewijzingNummer: m.toewijzingNummer,
    category: m.categorie ?? "",
    code: m.code ?? "",
    productName: p.product?.name ?? null,
    productUnit: p.product?.unit ?? null,
    omvang: m.omvang ?? null,
    budget: m.budget ?? null,
    from: m.ingangsdatum,
    until: m.einddatum ?? null,
    redenWijziging: m.redenWijziging ?? null,
    commentaar: m.commentaar ?? null,
    referentieAanbieder: m.referentieAanbieder ?? null,
    values: p.values,
    before: p.before && p.before.id > 0 ? p.before : null,
    changes: p.changes.map((c) => `iwmo.import.changes.${c}`),
    notes: p.notes.map(note),
    problems: p.problems.map(productProblem),
    writes: p.writes,
  };
}

function clientView(c: ClientPlan, message: ImportPlan["files"][number]["message"]) {
  const address = preferredAddress(message.client.addresses);
  const visible = c.existing?.visible ?? false;
  return {
    name: `${c.incoming.first_name} ${c.incoming.last_name}`.trim(),
    maskedBsn: maskBsn(c.bsn),
    birthDate: c.incoming.birth_date,
    address: address ? [joinStreet(address), [address.postcode, address.plaatsnaam].filter(Boolean).join(" ")].filter(Boolean).join(", ") : null,
    placeUnknown: c.placeName !== null && c.incoming.village_id === null ? c.placeName : null,
    status: c.existing ? "existing" : c.createdByEarlierFile ? "earlierFile" : "new",
    existingId: visible ? c.existing!.id : null,
    fills: Object.keys(c.fills).map((f) => `iwmo.import.fields.${f}`),
    differs: c.differs.map((f) => `iwmo.import.fields.${f}`),
    commentaar: message.client.commentaar ?? null,
    problems: c.problems.map((p) => say(`iwmo.import.clientProblems.${p.code}`, p.code === "bsn" ? { bsn: p.bsn } : p.code === "tooLong" ? { field: p.field } : {})),
    writes: clientWrites(c),
    products: c.products.map(productRow),
  };
}

export function planView(plan: ImportPlan) {
  return plan.files.map((f) => ({
    name: f.name,
    bericht: f.message.header.identificatie,
    dagtekening: f.message.header.dagtekening,
    gemeente: f.purchaser?.name ?? f.message.header.afzender,
    provider: f.provider?.name ?? f.message.header.ontvanger,
    problems: f.problems.map(fileProblem),
    client: clientView(f.client, f.message),
  }));
}

export function refusedView(files: RefusedFile[]) {
  return files.map((f) => ({
    name: f.name,
    schema: f.schema,
    other: f.other.map((key) => say(key)),
    problems: (f.plan?.problems ?? []).map(fileProblem),
  }));
}
