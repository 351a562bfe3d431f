// The fixed content of the demo: Peel en Maas ("Leven in het Dorp"), its kernen, the two
// purchasers, six dorpsdagvoorzieningen and seven zorgboerderijen. Every organisation, code and
// person here is fictional: AGB codes start with "98", BSNs come from the 9999 test range.

import type { Dagdeel } from "../src/domain/dagdeel";

export const MUNICIPALITY = { name: "Peel en Maas", gemeentecode: "1894", province: "LI" } as const;

/** The kernen with the first four digits of their postcodes. */
export const VILLAGES: readonly { name: string; postcode: string }[] = [
  { name: "Baarlo", postcode: "5991" },
  { name: "Beringe", postcode: "5986" },
  { name: "Egchel", postcode: "5987" },
  { name: "Grashoek", postcode: "5985" },
  { name: "Helden", postcode: "5988" },
  { name: "Kessel", postcode: "5995" },
  { name: "Kessel-Eik", postcode: "5995" },
  { name: "Koningslust", postcode: "5984" },
  { name: "Maasbree", postcode: "5993" },
  { name: "Meijel", postcode: "5768" },
  { name: "Panningen", postcode: "5981" },
];

export type PurchaserSpec = { key: "gemeente" | "zorgkantoor"; name: string; gemeentecode: string | null; email: string; phone: string };

export const PURCHASERS: readonly PurchaserSpec[] = [
  { key: "gemeente", name: "Gemeente Peel en Maas", gemeentecode: "1894", email: "wmo@peelenmaas.demo", phone: "077-3069111" },
  { key: "zorgkantoor", name: "VGZ Zorgkantoor Noord- en Midden-Limburg", gemeentecode: null, email: "zorgkantoor@vgz.demo", phone: "088-1311620" },
];

export type CellSpec = { weekday: number; dagdeel: Dagdeel; places: number };

export type LocationSpec = {
  name: string;
  village: string;
  street: string;
  times: [string, string, string, string];
  cells: CellSpec[];
  /** Places before the capacity was raised to today's (a change three months ago). */
  raisedFrom?: number;
};

export type ProviderSpec = {
  subkind: "dorpsdagvoorziening" | "zorgboerderij";
  name: string;
  email: string;
  phone: string;
  /** Farms with a Wlz contract with the zorgkantoor take Wlz clients. */
  wlz: boolean;
  locations: LocationSpec[];
};

/** Open on these weekdays, morning and afternoon. */
function open(weekdays: number[], morningPlaces: number, afternoonPlaces = morningPlaces): CellSpec[] {
  return weekdays.flatMap((weekday) => [
    { weekday, dagdeel: "ochtend" as const, places: morningPlaces },
    { weekday, dagdeel: "middag" as const, places: afternoonPlaces },
  ]);
}

function mornings(weekdays: number[], places: number): CellSpec[] {
  return weekdays.map((weekday) => ({ weekday, dagdeel: "ochtend" as const, places }));
}

const WEEK = [1, 2, 3, 4, 5];
const VILLAGE_TIMES: [string, string, string, string] = ["09:30", "12:00", "13:00", "16:00"];

export const DORPSDAGVOORZIENINGEN: readonly ProviderSpec[] = [
  {
    subkind: "dorpsdagvoorziening",
    name: "Dorpsdagvoorziening Helden",
    email: "info@dorpsdagvoorzieninghelden.demo",
    phone: "077-3071842",
    wlz: false,
    locations: [{ name: "Dorpshuis De Kullen", village: "Helden", street: "Mariaplein 4", times: VILLAGE_TIMES, cells: [...open([2], 10), ...open([4], 12, 10)] }],
  },
  {
    subkind: "dorpsdagvoorziening",
    name: "Dagvoorziening 't Baarlo's Hoes",
    email: "info@baarloshoes.demo",
    phone: "077-4771935",
    wlz: false,
    locations: [
      { name: "'t Baarlo's Hoes", village: "Baarlo", street: "Kerkstraat 21", times: ["09:30", "12:00", "13:00", "15:30"], cells: [...open([3], 10), ...mornings([5], 10)] },
    ],
  },
  {
    subkind: "dorpsdagvoorziening",
    name: "Dorpsdagvoorziening Meijel",
    email: "info@ddvmeijel.demo",
    phone: "077-4662207",
    wlz: false,
    locations: [{ name: "Ontmoetingscentrum Meijel", village: "Meijel", street: "Raadhuisplein 9", times: VILLAGE_TIMES, cells: open([4], 9) }],
  },
  {
    subkind: "dorpsdagvoorziening",
    name: "Dorpsdagvoorziening Kessel",
    email: "info@ddvkessel.demo",
    phone: "077-4622318",
    wlz: false,
    locations: [{ name: "Gemeenschapshuis De Kiosk", village: "Kessel", street: "Markt 3", times: ["09:45", "12:00", "13:00", "16:00"], cells: open([2], 10) }],
  },
  {
    subkind: "dorpsdagvoorziening",
    name: "Dagvoorziening De Egchelse Kamer",
    email: "info@egchelsekamer.demo",
    phone: "077-3074419",
    wlz: false,
    locations: [{ name: "De Egchelse Kamer", village: "Egchel", street: "Past. Vullinghsstraat 2", times: VILLAGE_TIMES, cells: open([3], 8) }],
  },
  {
    subkind: "dorpsdagvoorziening",
    name: "Dorpsdagvoorziening Maasbree",
    email: "info@ddvmaasbree.demo",
    phone: "077-4652760",
    wlz: false,
    locations: [
      { name: "MFC De Kiep", village: "Maasbree", street: "Kerkstraat 24", times: ["09:30", "12:00", "13:00", "16:00"], cells: [...open([5], 8), ...mornings([1], 8)] },
    ],
  },
];

const FARM_TIMES: [string, string, string, string] = ["09:00", "12:30", "13:00", "16:00"];

export const ZORGBOERDERIJEN: readonly ProviderSpec[] = [
  {
    subkind: "zorgboerderij",
    name: "Zorgboerderij De Peelhoeve",
    email: "info@peelhoeve.demo",
    phone: "077-4661375",
    wlz: true,
    locations: [
      { name: "De Peelhoeve", village: "Meijel", street: "Peelweg 14", times: FARM_TIMES, cells: open(WEEK, 8, 7) },
      { name: "De Peelhoeve Tuinderij", village: "Beringe", street: "Beringerveld 6", times: ["09:00", "12:30", "13:00", "16:00"], cells: mornings([1, 3, 5], 5) },
    ],
  },
  {
    subkind: "zorgboerderij",
    name: "Zorgboerderij 't Kemp",
    email: "info@zorgboerderijtkemp.demo",
    phone: "077-3072294",
    wlz: true,
    // Raised from 8 to 10 places on the first of the month three months before "today".
    locations: [{ name: "'t Kemp", village: "Grashoek", street: "Kempweg 3", times: ["08:45", "12:15", "13:00", "16:00"], cells: open(WEEK, 10), raisedFrom: 8 }],
  },
  {
    subkind: "zorgboerderij",
    name: "Zorgboerderij De Rozenhof",
    email: "info@derozenhof.demo",
    phone: "077-3071160",
    wlz: false,
    locations: [{ name: "De Rozenhof", village: "Koningslust", street: "Rozenweg 11", times: FARM_TIMES, cells: open(WEEK, 6) }],
  },
  {
    subkind: "zorgboerderij",
    name: "Zorgboerderij Het Maasveld",
    email: "info@hetmaasveld.demo",
    phone: "077-4621487",
    wlz: true,
    locations: [
      { name: "Het Maasveld", village: "Kessel", street: "Maasveldweg 8", times: ["09:00", "12:30", "13:15", "16:15"], cells: open(WEEK, 7) },
      { name: "Het Maasveld Kaasmakerij", village: "Maasbree", street: "Baarloseweg 40", times: ["09:00", "12:30", "13:00", "16:00"], cells: mornings([2, 4], 6) },
    ],
  },
  {
    subkind: "zorgboerderij",
    name: "Zorgboerderij De Wieërd",
    email: "info@dewieerd.demo",
    phone: "077-4772051",
    wlz: false,
    // Closed on Fridays: the farmer's family takes the market in Venlo.
    locations: [{ name: "De Wieërd", village: "Baarlo", street: "Wieërdweg 5", times: FARM_TIMES, cells: open([1, 2, 3, 4], 6) }],
  },
  {
    subkind: "zorgboerderij",
    name: "Zorgboerderij De Kempkes",
    email: "info@dekempkes.demo",
    phone: "077-3073388",
    wlz: true,
    locations: [{ name: "De Kempkes", village: "Panningen", street: "Kempkesweg 17", times: ["09:00", "12:30", "13:00", "15:30"], cells: open(WEEK, 7, 6) }],
  },
  {
    subkind: "zorgboerderij",
    name: "Zorgboerderij De Eikenhof",
    email: "info@deeikenhof.demo",
    phone: "077-4623049",
    wlz: false,
    // Closed on Wednesdays.
    locations: [{ name: "De Eikenhof", village: "Kessel-Eik", street: "Eikerweg 29", times: FARM_TIMES, cells: open([1, 2, 4, 5], 6) }],
  },
];

export type ProductKey = "basis" | "intensief" | "vervoer" | "wlzDag" | "wlzVervoer";

// Demo codes: regional iWmo product codes and NZa prestatiecodes are agreed per region, these
// only look like them.
export const PRODUCTS: readonly {
  key: ProductKey;
  code: string;
  name: string;
  unit: "dagdeel" | "rit";
  iwmo_category: string | null;
  iwmo_code: string | null;
  iwmo_unit: string | null;
  wlz_code: string | null;
}[] = [
  { key: "basis", code: "07A01", name: "Dagbesteding basis", unit: "dagdeel", iwmo_category: "07", iwmo_code: "07A01", iwmo_unit: "16", wlz_code: null },
  { key: "intensief", code: "07A02", name: "Dagbesteding intensief", unit: "dagdeel", iwmo_category: "07", iwmo_code: "07A02", iwmo_unit: "16", wlz_code: null },
  { key: "vervoer", code: "08A01", name: "Vervoer dagbesteding", unit: "rit", iwmo_category: "08", iwmo_code: "08A01", iwmo_unit: "82", wlz_code: null },
  { key: "wlzDag", code: "H811", name: "Dagactiviteit GGZ-LG/VG (Wlz)", unit: "dagdeel", iwmo_category: null, iwmo_code: null, iwmo_unit: null, wlz_code: "H811" },
  { key: "wlzVervoer", code: "V001", name: "Vervoer dagbesteding (Wlz)", unit: "rit", iwmo_category: null, iwmo_code: null, iwmo_unit: null, wlz_code: "V001" },
];

export const MALE_NAMES = [
  "Harrie", "Sjef", "Jan", "Piet", "Toon", "Wiel", "Huub", "Gerrit", "Thei", "Math", "Sjra", "Leo", "Jos", "Frans", "Ger",
  "Hay", "Tinus", "Jac", "Nico", "Bert", "Martien", "Peter", "Jo", "Ben", "Lei", "Twan", "Marcel", "Wim", "Henk", "Theo",
  "Ruud", "Rob", "Noud", "Geert", "Hub",
];

export const FEMALE_NAMES = [
  "Mia", "Truus", "Anneke", "Dien", "Lies", "Nelly", "Corrie", "Door", "Mien", "Gerda", "Ria", "Tiny", "Marij", "Annie",
  "Riet", "Wilma", "Jet", "Marian", "Thea", "Els", "Joke", "Bep", "Lenie", "Netty", "Mariet", "Trees", "Hanneke", "Ineke",
  "Yvonne", "Petra", "Sjanie", "Gonny", "Mieke", "Carla", "Diny",
];

export const LAST_NAMES = [
  "van Wijk", "Janssen", "Hendrikx", "Peeters", "Verstappen", "Geurts", "Smeets", "Coenen", "Jacobs", "Gommans", "Bouten",
  "Wijnen", "Kessels", "Verheijen", "Timmermans", "Thijssen", "Hermans", "Linders", "Vullings", "Maessen", "Aerts",
  "Peters", "van den Beuken", "Willems", "Boots", "Joosten", "Gielen", "Theeuwen", "Tielen", "Raedts", "Houben", "Schreurs",
  "Bongers", "Hoeijmakers", "Driessen", "Vossen", "Bouwens", "van Lier", "Jenniskens", "Seelen", "Rutten", "Verbeek",
  "Crommentuijn", "Beurskens", "van Rens", "Hanssen", "Leenders", "Slaats", "Reijnders", "Stevens", "Goumans", "Heijnen",
];

export const STREETS = [
  "Kerkstraat", "Dorpstraat", "Molenstraat", "Schoolstraat", "Julianastraat", "Wilhelminastraat", "Beatrixstraat",
  "Kloosterstraat", "Steenstraat", "Raadhuisstraat", "Lindelaan", "Kastanjelaan", "Berkenlaan", "Eikenlaan", "Irenestraat",
  "Marijkestraat", "St. Jozefstraat", "Hoogstraat", "Veldstraat", "Broekstraat", "Bosweg", "Vlasstraat", "Meidoornstraat",
  "Nieuwstraat", "Pastoor Geurtsstraat", "Heldenseweg", "Mgr. Nolensstraat", "Kapelstraat", "Sint Urbanusweg", "Pepersteeg",
];

export const CLIENT_NOTES = [
  "Diabetes: lunch zonder suiker.",
  "Slechthorend, rustig en duidelijk praten.",
  "Contactpersoon: dochter, bereikbaar na 17.00 uur.",
  "Vegetarisch.",
  "Neemt eigen medicatie mee voor de middag.",
  "Houdt van het werk bij de dieren, niet in de moestuin.",
  "Wordt op dinsdag door de zoon gebracht.",
];

export const DEMO_USER_SPECS = [
  { email: "coordinator@dagdeel.demo", role: "coordinator", name: "Anja Verstappen", organisation: null },
  { email: "aanbieder@dagdeel.demo", role: "provider", name: "Harrie Hendrikx", organisation: "Zorgboerderij De Peelhoeve" },
  { email: "dorp@dagdeel.demo", role: "provider", name: "Mia Geurts", organisation: "Dorpsdagvoorziening Helden" },
  { email: "inkoper@dagdeel.demo", role: "purchaser", name: "Sandra Peeters", organisation: "Gemeente Peel en Maas" },
  { email: "zorgkantoor@dagdeel.demo", role: "purchaser", name: "Jeroen Smeets", organisation: "VGZ Zorgkantoor Noord- en Midden-Limburg" },
  { email: "beheer@dagdeel.demo", role: "admin", name: "Beheerder dagdeel", organisation: null },
] as const;
