// Names for the providers of the region beyond the demo's own (Peel en Maas keeps the demo's
// dorpsdagvoorzieningen and zorgboerderijen by name, so the demo users find theirs).

export const FARM_STEMS = [
  "De Linde", "De Hazelaar", "'t Hof", "De Kleine Hoeve", "De Vlasakker", "De Heibloem", "Het Zonnehuis", "De Mortel",
  "'t Paradijs", "De Schaapskooi", "De Boomgaard", "De Kroonhoeve", "De Aardbeienhof", "De Roggeakker", "De Moerenhof",
  "'t Ven", "De Kraanvogel", "De Bongerd", "De Maasheggen", "Het Kempke", "De Geitenhoeve", "De Zandhoeve", "'t Leeg",
  "De Paardenwei", "De Heikamp", "De Kloosterhoeve", "De Witte Hoeve", "De Bremhoeve", "Het Broek", "De Eikenboom",
  "De Klaproos", "De Vossenberg", "De Haagstraat", "'t Spikker", "De Ganzenhof", "De Vinkenhof", "De Asperge",
  "De Hoogveld", "De Weverij", "De Molenhoeve", "'t Rooth", "De Peelrand", "Het Wildveld", "De Beekhoeve",
  "De Kersenhof", "De Walnoot", "De Meidoorn", "De Vlier", "De Turfstek", "De Hopbel", "De Distel", "De Zwaluw",
  "De Bijenkorf", "De Veldkeuken", "De Akkerhoeve", "De Schuur", "De Koeweide", "'t Kwartier", "De Heuvelhoeve", "De Oude Pastorie",
];

/** What a farm's second, third and fourth place is called. */
export const FARM_PLACES = ["Tuinderij", "Kaasmakerij", "Zorgwinkel", "Dierenweide", "Bakkerij", "Houtwerkplaats", "Kwekerij", "Boomgaard"];

/** How a village facility is called, before the village's name. */
export const VILLAGE_PATTERNS = ["Dorpsdagvoorziening", "Ontmoetingscentrum", "Dagvoorziening De Huiskamer", "Dorpshuis", "Trefpunt"];

export const LOCATION_ROOMS = ["Gemeenschapshuis", "Dorpshuis", "MFC", "Ontmoetingsruimte", "Parochiezaal"];

export const LOCATION_STREETS = [
  "Kerkstraat", "Dorpstraat", "Markt", "Raadhuisplein", "Molenstraat", "Schoolstraat", "Veldweg", "Heideweg", "Broekweg",
  "Peelweg", "Maasweg", "Boshoverweg", "Kapelweg", "Hoeveweg", "Eikenlaan", "Zandberg", "Ringweg", "Meerweg",
];

export function slug(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "")
    .slice(0, 40);
}
