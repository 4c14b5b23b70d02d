/**
 * Fixed vocabularies for the demo catalog: families of products with their vendors, categories
 * (names in the style of Shopify's Standard Product Taxonomy; the ids are demo ids), option names
 * in several languages as stores that import from many suppliers end up with, and locations.
 */

export type FamilyKind = "apparel" | "footwear" | "jewelry" | "home" | "beauty";

export interface ProductTypeSpec {
  productType: string;
  nouns: readonly string[];
  category: { id: string; fullName: string };
}

export interface VendorSpec {
  name: string;
  /** Prefix of the vendor's SKUs. */
  code: string;
  countryOfOrigin: string;
  /** European vendors print EAN-13 barcodes, the others UPC-12. */
  barcode: "EAN13" | "UPC12";
}

export interface FamilySpec {
  kind: FamilyKind;
  /** Relative share of the catalog. */
  weight: number;
  vendors: readonly VendorSpec[];
  productTypes: readonly ProductTypeSpec[];
  materials: readonly string[];
  /** Whole currency units. */
  priceRange: readonly [number, number];
  weightUnit: "KILOGRAMS" | "GRAMS";
  weightRange: readonly [number, number];
  harmonizedSystemCode: string;
  features: readonly string[];
}

const category = (id: string, fullName: string) => ({ id: `gid://shopify/TaxonomyCategory/${id}`, fullName });

export const FAMILIES: readonly FamilySpec[] = [
  {
    kind: "apparel",
    weight: 30,
    vendors: [
      { name: "Maison Lin", code: "ML", countryOfOrigin: "PT", barcode: "EAN13" },
      { name: "Nordic Thread Co.", code: "NTC", countryOfOrigin: "LT", barcode: "EAN13" },
      { name: "Batik Nusantara", code: "BN", countryOfOrigin: "ID", barcode: "UPC12" },
    ],
    productTypes: [
      { productType: "Shirts", nouns: ["Shirt", "Blouse", "Overshirt"], category: category("aa-1-13-8", "Apparel & Accessories > Clothing > Shirts & Tops") },
      { productType: "T-Shirts", nouns: ["Tee", "T-Shirt", "Tank Top"], category: category("aa-1-13-14", "Apparel & Accessories > Clothing > Shirts & Tops > T-Shirts") },
      { productType: "Dresses", nouns: ["Dress", "Midi Dress", "Wrap Dress"], category: category("aa-1-4", "Apparel & Accessories > Clothing > Dresses") },
      { productType: "Outerwear", nouns: ["Jacket", "Coat", "Cardigan"], category: category("aa-1-10-2", "Apparel & Accessories > Clothing > Outerwear > Coats & Jackets") },
    ],
    materials: ["Linen", "Organic Cotton", "Merino Wool", "Batik Cotton"],
    priceRange: [25, 180],
    weightUnit: "KILOGRAMS",
    weightRange: [0.15, 0.9],
    harmonizedSystemCode: "620520",
    features: ["Relaxed fit", "Breathable", "Pre-washed", "Mother-of-pearl buttons", "OEKO-TEX certified", "Made in small batches"],
  },
  {
    kind: "footwear",
    weight: 20,
    vendors: [
      { name: "Stride & Sole", code: "SS", countryOfOrigin: "VN", barcode: "UPC12" },
      { name: "Pasar Kulit", code: "PK", countryOfOrigin: "ID", barcode: "UPC12" },
      { name: "Schuhwerk Berlin", code: "SWB", countryOfOrigin: "DE", barcode: "EAN13" },
    ],
    productTypes: [
      { productType: "Sneakers", nouns: ["Sneaker", "Runner", "Court Shoe"], category: category("aa-8-8", "Apparel & Accessories > Shoes > Sneakers") },
      { productType: "Boots", nouns: ["Chelsea Boot", "Ankle Boot", "Hiking Boot"], category: category("aa-8-3", "Apparel & Accessories > Shoes > Boots") },
      { productType: "Sandals", nouns: ["Sandal", "Slide", "Espadrille"], category: category("aa-8-7", "Apparel & Accessories > Shoes > Sandals") },
    ],
    materials: ["Full-grain Leather", "Suede", "Recycled Canvas"],
    priceRange: [60, 240],
    weightUnit: "KILOGRAMS",
    weightRange: [0.5, 1.4],
    harmonizedSystemCode: "640399",
    features: ["Cushioned insole", "Vegan glue", "Resoleable", "Non-slip outsole", "Water-repellent"],
  },
  {
    kind: "jewelry",
    weight: 20,
    vendors: [
      { name: "Lumière Bijoux", code: "LB", countryOfOrigin: "FR", barcode: "EAN13" },
      { name: "Goldschmiede Weber", code: "GW", countryOfOrigin: "DE", barcode: "EAN13" },
      { name: "Aurora Silver", code: "AS", countryOfOrigin: "TH", barcode: "UPC12" },
    ],
    productTypes: [
      { productType: "Rings", nouns: ["Ring", "Stacking Ring", "Signet Ring"], category: category("aa-6-9", "Apparel & Accessories > Jewelry > Rings") },
      { productType: "Necklaces", nouns: ["Necklace", "Pendant", "Chain"], category: category("aa-6-8", "Apparel & Accessories > Jewelry > Necklaces") },
      { productType: "Earrings", nouns: ["Hoops", "Studs", "Drop Earrings"], category: category("aa-6-6", "Apparel & Accessories > Jewelry > Earrings") },
    ],
    materials: ["925 Silver", "18k Gold Plated", "Rose Gold Plated"],
    priceRange: [19, 320],
    weightUnit: "GRAMS",
    weightRange: [3, 40],
    harmonizedSystemCode: "711311",
    features: ["Nickel free", "Hypoallergenic", "Gift box included", "Recycled silver", "Handmade"],
  },
  {
    kind: "home",
    weight: 15,
    vendors: [
      { name: "Haus & Hygge", code: "HH", countryOfOrigin: "DK", barcode: "EAN13" },
      { name: "Casa Terra", code: "CT", countryOfOrigin: "ES", barcode: "EAN13" },
    ],
    productTypes: [
      { productType: "Cushions", nouns: ["Cushion Cover", "Throw Pillow"], category: category("hg-3-64", "Home & Garden > Decor > Throw Pillows") },
      { productType: "Candles", nouns: ["Scented Candle", "Pillar Candle"], category: category("hg-3-40-2", "Home & Garden > Decor > Home Fragrances > Candles") },
      { productType: "Mugs", nouns: ["Mug", "Espresso Cup"], category: category("hg-11-10-5-5", "Home & Garden > Kitchen & Dining > Tableware > Drinkware > Mugs") },
    ],
    materials: ["Stoneware", "Washed Linen", "Soy Wax"],
    priceRange: [12, 95],
    weightUnit: "KILOGRAMS",
    weightRange: [0.25, 2.5],
    harmonizedSystemCode: "691200",
    features: ["Dishwasher safe", "Hand-glazed", "Burns 40 hours", "Zip closure", "Made in Europe"],
  },
  {
    kind: "beauty",
    weight: 15,
    vendors: [
      { name: "Glow Botanics", code: "GB", countryOfOrigin: "FR", barcode: "EAN13" },
      { name: "Seoul Dew Lab", code: "SDL", countryOfOrigin: "KR", barcode: "UPC12" },
    ],
    productTypes: [
      { productType: "Moisturizers", nouns: ["Day Cream", "Night Cream", "Face Balm"], category: category("hb-3-2-9-10", "Health & Beauty > Personal Care > Cosmetics > Skin Care > Lotions & Moisturizers") },
      { productType: "Cleansers", nouns: ["Cleansing Oil", "Gel Cleanser"], category: category("hb-3-2-9-6", "Health & Beauty > Personal Care > Cosmetics > Skin Care > Facial Cleansers") },
      { productType: "Serums", nouns: ["Vitamin C Serum", "Hyaluronic Serum"], category: category("hb-3-2-9", "Health & Beauty > Personal Care > Cosmetics > Skin Care") },
    ],
    materials: ["Aloe Vera", "Squalane", "Rosehip Oil"],
    priceRange: [14, 89],
    weightUnit: "GRAMS",
    weightRange: [60, 420],
    harmonizedSystemCode: "330499",
    features: ["Vegan", "Fragrance free", "Dermatologist tested", "Refillable", "Cruelty free"],
  },
];

export interface OptionLocale {
  color: string;
  size: string;
  material: string;
  colors: readonly { name: string; hex: string }[];
}

/** Option names a store ends up with when products come from suppliers in several languages. */
export const OPTION_LOCALES: readonly OptionLocale[] = [
  { color: "Color", size: "Size", material: "Material", colors: [{ name: "Black", hex: "#111111" }, { name: "White", hex: "#F5F5F0" }, { name: "Navy", hex: "#1F2A44" }, { name: "Sage", hex: "#9CAF88" }, { name: "Sand", hex: "#D8C7A8" }] },
  { color: "Colour", size: "Size", material: "Material", colors: [{ name: "Charcoal", hex: "#36454F" }, { name: "Ivory", hex: "#FFFFF0" }, { name: "Bottle Green", hex: "#006A4E" }, { name: "Rust", hex: "#B7410E" }] },
  { color: "Couleur", size: "Taille", material: "Matière", colors: [{ name: "Noir", hex: "#111111" }, { name: "Blanc", hex: "#FAFAFA" }, { name: "Bleu marine", hex: "#1F2A44" }, { name: "Écru", hex: "#EDE6D6" }, { name: "Rouge", hex: "#C0392B" }] },
  { color: "Farbe", size: "Größe", material: "Material", colors: [{ name: "Schwarz", hex: "#111111" }, { name: "Weiß", hex: "#FFFFFF" }, { name: "Dunkelblau", hex: "#1B2A4A" }, { name: "Olivgrün", hex: "#708238" }] },
  { color: "Warna", size: "Ukuran", material: "Bahan", colors: [{ name: "Hitam", hex: "#111111" }, { name: "Putih", hex: "#FFFFFF" }, { name: "Biru Dongker", hex: "#1F2A44" }, { name: "Merah Bata", hex: "#A0522D" }, { name: "Krem", hex: "#F3E5AB" }] },
];

export const APPAREL_SIZES = ["XS", "S", "M", "L", "XL", "XXL"] as const;
export const SHOE_SIZES = ["37", "38", "39", "40", "41", "42", "43", "44", "45"] as const;
export const RING_SIZES = ["50", "52", "54", "56"] as const;
export const BEAUTY_SIZES = ["30 ml", "50 ml", "100 ml"] as const;

export const LOCATIONS = [
  { id: "gid://shopify/Location/71001", name: "Warehouse Rotterdam" },
  { id: "gid://shopify/Location/71002", name: "Store Paris Marais" },
  { id: "gid://shopify/Location/71003", name: "Pop-up Berlin Mitte" },
] as const;

export const TITLE_ADJECTIVES = ["Relaxed", "Classic", "Oversized", "Everyday", "Essential", "Vintage", "Organic", "Handmade", "Minimal", "Signature", "Coastal", "Heritage"] as const;

/** What merchants paste into titles to please search: makes some titles run past 200 characters. */
export const TITLE_KEYWORDS = [
  "Women's", "Men's", "Unisex", "Summer", "Winter", "Casual", "Premium Quality", "Best Gift for Her",
  "Gift for Him", "Free Shipping", "Sustainable", "Eco Friendly", "Limited Edition", "New Collection 2026",
  "Trending on TikTok", "As Seen on Instagram", "Holiday", "Travel", "Office", "Weekend",
] as const;

export const TAG_POOL = ["bestseller", "new-in", "vegan", "gift", "limited", "sustainable", "summer", "winter"] as const;

export const STORE_DOMAIN = "shelfcast-demo.myshopify.com";
export const CDN_FILES = "https://cdn.shopify.com/s/files/1/0712/3456/7890/files";
