// The region: gemeenten of Noord- en Midden-Limburg with their kernen, and the one zorgkantoor
// that buys Wlz care for all of them. Names and CBS gemeentecodes are real; postcodes are the
// four digits of each kern (the letters are drawn per address). Every person and organisation
// placed here is fictional.

export type Gemeente = { name: string; code: string; villages: { name: string; postcode: string }[] };

export const PROVINCE = "LI";

export const ZORGKANTOOR = { name: "VGZ Zorgkantoor Noord- en Midden-Limburg", email: "zorgkantoor@vgz.demo", phone: "088-1311620" };

/** Peel en Maas first: the demo's gemeente is in every region, however small. */
export const GEMEENTEN: readonly Gemeente[] = [
  {
    name: "Peel en Maas",
    code: "1894",
    villages: [
      { name: "Baarlo", postcode: "5991" }, { name: "Beringe", postcode: "5986" }, { name: "Egchel", postcode: "5987" },
      { name: "Grashoek", postcode: "5985" }, { name: "Helden", postcode: "5988" }, { name: "Kessel", postcode: "5995" },
      { name: "Kessel-Eik", postcode: "5995" }, { name: "Koningslust", postcode: "5984" }, { name: "Maasbree", postcode: "5993" },
      { name: "Meijel", postcode: "5768" }, { name: "Panningen", postcode: "5981" },
    ],
  },
  {
    name: "Venlo",
    code: "0983",
    villages: [
      { name: "Venlo", postcode: "5911" }, { name: "Blerick", postcode: "5921" }, { name: "Tegelen", postcode: "5932" },
      { name: "Belfeld", postcode: "5951" }, { name: "Steyl", postcode: "5935" }, { name: "Arcen", postcode: "5944" },
      { name: "Velden", postcode: "5941" }, { name: "Lomm", postcode: "5943" },
    ],
  },
  {
    name: "Horst aan de Maas",
    code: "1507",
    villages: [
      { name: "Horst", postcode: "5961" }, { name: "America", postcode: "5966" }, { name: "Grubbenvorst", postcode: "5971" },
      { name: "Hegelsom", postcode: "5964" }, { name: "Lottum", postcode: "5973" }, { name: "Meerlo", postcode: "5864" },
      { name: "Melderslo", postcode: "5962" }, { name: "Sevenum", postcode: "5975" }, { name: "Tienray", postcode: "5863" },
      { name: "Swolgen", postcode: "5866" }, { name: "Broekhuizen", postcode: "5872" }, { name: "Kronenberg", postcode: "5976" },
      { name: "Griendtsveen", postcode: "5963" }, { name: "Meterik", postcode: "5962" },
    ],
  },
  {
    name: "Venray",
    code: "0984",
    villages: [
      { name: "Venray", postcode: "5801" }, { name: "Oostrum", postcode: "5807" }, { name: "Oirlo", postcode: "5808" },
      { name: "Castenray", postcode: "5811" }, { name: "Leunen", postcode: "5815" }, { name: "Ysselsteyn", postcode: "5813" },
      { name: "Merselo", postcode: "5815" }, { name: "Wanssum", postcode: "5861" }, { name: "Blitterswijck", postcode: "5863" },
      { name: "Geijsteren", postcode: "5862" }, { name: "Smakt", postcode: "5817" }, { name: "Heide", postcode: "5812" },
    ],
  },
  {
    name: "Leudal",
    code: "1640",
    villages: [
      { name: "Heythuysen", postcode: "6093" }, { name: "Haelen", postcode: "6081" }, { name: "Horn", postcode: "6085" },
      { name: "Roggel", postcode: "6088" }, { name: "Neer", postcode: "6086" }, { name: "Baexem", postcode: "6095" },
      { name: "Grathem", postcode: "6096" }, { name: "Hunsel", postcode: "6013" }, { name: "Ittervoort", postcode: "6035" },
      { name: "Buggenum", postcode: "6082" }, { name: "Nunhem", postcode: "6083" }, { name: "Neeritter", postcode: "6015" },
      { name: "Heibloem", postcode: "6089" },
    ],
  },
  {
    name: "Beesel",
    code: "0889",
    villages: [{ name: "Reuver", postcode: "5953" }, { name: "Beesel", postcode: "5954" }, { name: "Offenbeek", postcode: "5953" }],
  },
  {
    name: "Bergen (L.)",
    code: "0893",
    villages: [
      { name: "Bergen", postcode: "5854" }, { name: "Well", postcode: "5855" }, { name: "Afferden", postcode: "5851" },
      { name: "Siebengewald", postcode: "5853" }, { name: "Wellerlooi", postcode: "5856" },
    ],
  },
  {
    name: "Gennep",
    code: "0907",
    villages: [
      { name: "Gennep", postcode: "6591" }, { name: "Heijen", postcode: "6598" }, { name: "Ottersum", postcode: "6595" },
      { name: "Milsbeek", postcode: "6596" }, { name: "Ven-Zelderheide", postcode: "6595" },
    ],
  },
];

/** The gemeenten a region of this many providers spans: two for a test, all eight for the full region. */
export function gemeentenFor(providerCount: number): Gemeente[] {
  const n = Math.max(2, Math.min(GEMEENTEN.length, Math.round(providerCount / 12)));
  return GEMEENTEN.slice(0, n);
}
