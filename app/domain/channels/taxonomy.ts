/**
 * Shopify Standard Product Taxonomy category → Google product category, which Meta, Pinterest and
 * Google read (../shared/specs/channels.md §1.2: it drives US tax and Purchase Protection on Meta).
 *
 * A compact table of our own, written from the correspondences Shopify publishes (Shopify/product-
 * taxonomy, integrations/google): every vertical, the common apparel, beauty and home categories, and
 * the categories the demo catalog uses. A category not in it resolves to its nearest listed ancestor
 * by trimming its id ("aa-1-13-8" → "aa-1-13" → "aa-1" → "aa") or, when deeper, by the longest
 * listed path its full name starts with, so every category lands somewhere sensible.
 *
 */

const GOOGLE_CATEGORY_BY_SHOPIFY_ID: Readonly<Record<string, string>> = {
  // Verticals: Shopify's top level and Google's share names (gift cards aside).
  "aa": "166", "ap": "1", "ae": "8", "bt": "537", "bi": "111", "co": "141", "el": "222", "fb": "412", "fr": "436",
  "gc": "53", "ha": "632", "hb": "469", "hg": "536", "lb": "5181", "ma": "772", "me": "783", "os": "922",
  "rc": "5605", "so": "2092", "sg": "988", "tg": "1239", "vp": "888",
  // Apparel & Accessories.
  "aa-1": "1604", "aa-1-1": "5322", "aa-1-2": "182", "aa-1-4": "2271", "aa-1-9": "5182", "aa-1-10": "203",
  "aa-1-10-2": "5598", "aa-1-10-6": "1831", "aa-1-11": "7313", "aa-1-12": "204", "aa-1-13": "212", "aa-1-14": "207",
  "aa-1-15": "1581", "aa-1-16": "5344", "aa-1-17": "208", "aa-1-18": "209", "aa-1-19": "1594", "aa-1-20": "211",
  "aa-1-22": "5441", "aa-1-23": "5388", "aa-1-24": "2306", "aa-2": "167", "aa-2-6": "169", "aa-2-13": "170",
  "aa-2-17": "173", "aa-2-26": "177", "aa-2-27": "178", "aa-3": "184", "aa-4": "6552", "aa-5": "6551",
  "aa-5-4": "3032", "aa-5-5": "2668", "aa-6": "188", "aa-6-3": "191", "aa-6-5": "192", "aa-6-6": "194", "aa-6-7": "6463", "aa-6-8": "196",
  "aa-6-9": "200", "aa-6-11": "201", "aa-7": "1933", "aa-8": "187",
  // Animals & Pet Supplies.
  "ap-2": "2", "ap-2-2": "4", "ap-2-3": "5",
  // Health & Beauty.
  "hb-1": "491", "hb-3": "2915", "hb-3-2": "473", "hb-3-2-1": "474", "hb-3-2-6": "477", "hb-3-2-7": "478",
  "hb-3-2-8": "479", "hb-3-2-9": "567", "hb-3-2-9-6": "2526", "hb-3-2-9-10": "2592", "hb-3-2-9-13": "6262",
  "hb-3-2-9-15": "2844", "hb-3-5": "484", "hb-3-10": "486",
  // Home & Garden.
  "hg-3": "696", "hg-3-40": "592", "hg-3-40-2": "588", "hg-3-64": "4454", "hg-3-67": "602", "hg-11": "638",
  "hg-11-10": "672", "hg-11-10-4": "673", "hg-11-10-5": "674", "hg-11-10-5-5": "2169", "hg-11-10-6": "675",
};

/** Google product taxonomy (version 2021-09-21) paths of the ids above, and of a few placed by name only. */
const GOOGLE_CATEGORY_PATHS: Readonly<Record<string, string>> = {
  "1": "Animals & Pet Supplies",
  "2": "Animals & Pet Supplies > Pet Supplies",
  "4": "Animals & Pet Supplies > Pet Supplies > Cat Supplies",
  "5": "Animals & Pet Supplies > Pet Supplies > Dog Supplies",
  "8": "Arts & Entertainment",
  "53": "Arts & Entertainment > Party & Celebration > Gift Giving > Gift Cards & Certificates",
  "111": "Business & Industrial",
  "141": "Cameras & Optics",
  "166": "Apparel & Accessories",
  "167": "Apparel & Accessories > Clothing Accessories",
  "169": "Apparel & Accessories > Clothing Accessories > Belts",
  "170": "Apparel & Accessories > Clothing Accessories > Gloves & Mittens",
  "173": "Apparel & Accessories > Clothing Accessories > Hats",
  "177": "Apparel & Accessories > Clothing Accessories > Scarves & Shawls",
  "178": "Apparel & Accessories > Clothing Accessories > Sunglasses",
  "182": "Apparel & Accessories > Clothing > Baby & Toddler Clothing",
  "184": "Apparel & Accessories > Costumes & Accessories",
  "187": "Apparel & Accessories > Shoes",
  "188": "Apparel & Accessories > Jewelry",
  "191": "Apparel & Accessories > Jewelry > Bracelets",
  "192": "Apparel & Accessories > Jewelry > Charms & Pendants",
  "194": "Apparel & Accessories > Jewelry > Earrings",
  "196": "Apparel & Accessories > Jewelry > Necklaces",
  "197": "Apparel & Accessories > Jewelry > Brooches & Lapel Pins",
  "200": "Apparel & Accessories > Jewelry > Rings",
  "201": "Apparel & Accessories > Jewelry > Watches",
  "203": "Apparel & Accessories > Clothing > Outerwear",
  "204": "Apparel & Accessories > Clothing > Pants",
  "207": "Apparel & Accessories > Clothing > Shorts",
  "208": "Apparel & Accessories > Clothing > Sleepwear & Loungewear",
  "209": "Apparel & Accessories > Clothing > Underwear & Socks > Socks",
  "211": "Apparel & Accessories > Clothing > Swimwear",
  "212": "Apparel & Accessories > Clothing > Shirts & Tops",
  "222": "Electronics",
  "412": "Food, Beverages & Tobacco",
  "436": "Furniture",
  "469": "Health & Beauty",
  "473": "Health & Beauty > Personal Care > Cosmetics",
  "474": "Health & Beauty > Personal Care > Cosmetics > Bath & Body",
  "477": "Health & Beauty > Personal Care > Cosmetics > Makeup",
  "478": "Health & Beauty > Personal Care > Cosmetics > Nail Care",
  "479": "Health & Beauty > Personal Care > Cosmetics > Perfume & Cologne",
  "484": "Health & Beauty > Personal Care > Deodorant & Anti-Perspirant",
  "486": "Health & Beauty > Personal Care > Hair Care",
  "491": "Health & Beauty > Health Care",
  "536": "Home & Garden",
  "537": "Baby & Toddler",
  "567": "Health & Beauty > Personal Care > Cosmetics > Skin Care",
  "588": "Home & Garden > Decor > Home Fragrances > Candles",
  "592": "Home & Garden > Decor > Home Fragrances",
  "602": "Home & Garden > Decor > Vases",
  "632": "Hardware",
  "638": "Home & Garden > Kitchen & Dining",
  "672": "Home & Garden > Kitchen & Dining > Tableware",
  "673": "Home & Garden > Kitchen & Dining > Tableware > Dinnerware",
  "674": "Home & Garden > Kitchen & Dining > Tableware > Drinkware",
  "675": "Home & Garden > Kitchen & Dining > Tableware > Flatware",
  "696": "Home & Garden > Decor",
  "772": "Mature",
  "783": "Media",
  "888": "Vehicles & Parts",
  "922": "Office Supplies",
  "988": "Sporting Goods",
  "1239": "Toys & Games",
  "1581": "Apparel & Accessories > Clothing > Skirts",
  "1594": "Apparel & Accessories > Clothing > Suits",
  "1604": "Apparel & Accessories > Clothing",
  "1831": "Apparel & Accessories > Clothing > Outerwear > Vests",
  "1933": "Apparel & Accessories > Shoe Accessories",
  "2092": "Software",
  "2169": "Home & Garden > Kitchen & Dining > Tableware > Drinkware > Mugs",
  "2271": "Apparel & Accessories > Clothing > Dresses",
  "2306": "Apparel & Accessories > Clothing > Uniforms",
  "2526": "Health & Beauty > Personal Care > Cosmetics > Skin Care > Facial Cleansers",
  "2592": "Health & Beauty > Personal Care > Cosmetics > Skin Care > Lotion & Moisturizer",
  "2668": "Apparel & Accessories > Handbags, Wallets & Cases > Wallets & Money Clips",
  "2844": "Health & Beauty > Personal Care > Cosmetics > Skin Care > Sunscreen",
  "2915": "Health & Beauty > Personal Care",
  "3032": "Apparel & Accessories > Handbags, Wallets & Cases > Handbags",
  "4454": "Home & Garden > Decor > Throw Pillows",
  "5181": "Luggage & Bags",
  "5182": "Apparel & Accessories > Clothing > One-Pieces",
  "5322": "Apparel & Accessories > Clothing > Activewear",
  "5344": "Apparel & Accessories > Clothing > Skorts",
  "5388": "Apparel & Accessories > Clothing > Traditional & Ceremonial Clothing",
  "5441": "Apparel & Accessories > Clothing > Wedding & Bridal Party Dresses",
  "5598": "Apparel & Accessories > Clothing > Outerwear > Coats & Jackets",
  "5605": "Religious & Ceremonial",
  "6262": "Health & Beauty > Personal Care > Cosmetics > Skin Care > Skin Care Masks & Peels",
  "6463": "Apparel & Accessories > Jewelry > Jewelry Sets",
  "6551": "Apparel & Accessories > Handbags, Wallets & Cases",
  "6552": "Apparel & Accessories > Handbag & Wallet Accessories",
  "7313": "Apparel & Accessories > Clothing > Outfit Sets",
};

/** Google paths, lower-cased, → id: Shopify's category names mostly follow Google's, so names place categories too. */
const GOOGLE_ID_BY_PATH: ReadonlyMap<string, string> = new Map([
  ...Object.entries(GOOGLE_CATEGORY_PATHS).map(([googleId, path]) => [path.toLowerCase(), googleId] as const),
  // Shopify's gift card vertical has a name of its own.
  ["gift cards", "53"],
]);

export interface GoogleCategory {
  /** Google product category id ("212"). */
  id: string;
  /** Its path ("Apparel & Accessories > Clothing > Shirts & Tops"). */
  path: string;
  /** False when the category itself is not listed and an ancestor's category was used. */
  exact: boolean;
}

/** "gid://shopify/TaxonomyCategory/aa-1-13-8" → "aa-1-13-8"; a bare id passes through. */
export function taxonomyCategoryId(gid: string): string {
  const slash = gid.lastIndexOf("/");
  const id = slash >= 0 ? gid.slice(slash + 1) : gid;
  const query = id.indexOf("?");
  return (query >= 0 ? id.slice(0, query) : id).trim().toLowerCase();
}

function categoryOf(googleId: string | undefined, exact: boolean): GoogleCategory | null {
  const path = googleId === undefined ? undefined : GOOGLE_CATEGORY_PATHS[googleId];
  return googleId !== undefined && path !== undefined ? Object.freeze({ id: googleId, path, exact }) : null;
}

/** The listed category of the id itself (exact) or of its nearest listed ancestor. */
function byId(gid: string): GoogleCategory | null {
  let shopifyId = taxonomyCategoryId(gid);
  let exact = true;
  while (shopifyId !== "") {
    const found = categoryOf(GOOGLE_CATEGORY_BY_SHOPIFY_ID[shopifyId], exact);
    if (found) return found;
    const dash = shopifyId.lastIndexOf("-");
    shopifyId = dash > 0 ? shopifyId.slice(0, dash) : "";
    exact = false;
  }
  return null;
}

/** The deepest listed path that the full name starts with ("... > Skin Care > Skin Care Serums" → Skin Care). */
function byName(fullName: string): GoogleCategory | null {
  const segments = fullName.split(">").map((segment) => segment.trim().toLowerCase());
  for (let length = segments.length; length > 0; length -= 1) {
    const found = categoryOf(GOOGLE_ID_BY_PATH.get(segments.slice(0, length).join(" > ")), length === segments.length);
    if (found) return found;
  }
  return null;
}

function depth(category: GoogleCategory): number {
  return category.path.split(">").length;
}

/**
 * An exact id match wins. Otherwise the deeper of the id's nearest listed ancestor and the name's
 * longest listed prefix: ids of newer taxonomy versions than the table, and names of renamed
 * categories, each place what the other cannot.
 */
function resolve(category: { id: string; fullName: string }): GoogleCategory | null {
  const fromId = byId(category.id);
  if (fromId?.exact) return fromId;
  const fromName = byName(category.fullName);
  if (fromName && (!fromId || depth(fromName) > depth(fromId))) return fromName;
  return fromId;
}

/** Few distinct categories in any catalog: each is resolved once. */
const resolved = new Map<string, GoogleCategory | null>();
const MAX_REMEMBERED_CATEGORIES = 10_000;

/**
 * The Google product category of a Shopify taxonomy category: the listed category itself, else the
 * nearest listed ancestor (exact: false); null when there is no category or it cannot be placed.
 */
export function googleCategoryFor(category: { id: string; fullName: string } | null): GoogleCategory | null {
  if (!category) return null;
  const key = `${category.id}|${category.fullName}`;
  const known = resolved.get(key);
  if (known !== undefined) return known;
  const result = resolve(category);
  if (resolved.size < MAX_REMEMBERED_CATEGORIES) resolved.set(key, result);
  return result;
}
