/**
 * Recognises a product's option names ("Farbe", "Couleur", "Warna", "サイズ") and Shopify's category
 * metafields as the core attributes every channel groups variants by: color, size, material,
 * pattern, gender and age group (../shared/specs/channels.md §1.5, §4.1). Stores that import from
 * suppliers in several languages end up with all of these in one catalog.
 */
import type { Metafield, MetafieldValue, Product, Variant } from "../catalog/types";
import { isGid } from "../catalog/gid";
import type { VariantAttribute } from "./types";

export type AttributeKind = NonNullable<VariantAttribute["kind"]>;

/**
 * Option names per attribute, in the languages merchants write them; compared after normalisation
 * (lower case, accents and trailing colons removed), so list each spelling once without accents.
 */
const OPTION_NAMES: Record<AttributeKind, readonly string[]> = {
  color: [
    "color", "colour", "colors", "colours", "color name", "colour name", "main color", "shade",
    "couleur", "couleurs", "teinte", "farbe", "farben", "farbton", "warna", "colore", "colori", "tono",
    "kleur", "kleuren", "cor", "cores", "farg", "farge", "farve", "vari", "kolor", "kolory", "barva", "szin",
    "culoare", "renk", "mau", "mau sac", "kulay", "цвет", "цвета", "колір", "χρωμα", "لون", "צבע", "สี",
    "颜色", "顏色", "色", "カラー", "色味", "색상", "색깔", "컬러",
  ],
  size: [
    "size", "sizes", "shoe size", "ring size", "clothing size", "dress size", "us size", "eu size", "uk size",
    "taille", "tailles", "pointure", "grosse", "groesse", "schuhgrosse", "ukuran", "taglia", "taglie", "misura",
    "talla", "tallas", "maat", "maten", "tamanho", "tamanhos", "storlek", "storrelse", "koko", "rozmiar",
    "velikost", "meret", "marime", "beden", "numara", "kich thuoc", "kich co", "размер", "розмір",
    "μεγεθος", "مقاس", "מידה", "ขนาด", "尺码", "尺碼", "尺寸", "サイズ", "사이즈", "크기",
  ],
  material: [
    "material", "materials", "fabric", "metal", "metal type", "matiere", "tissu", "stoff", "werkstoff", "bahan",
    "materiale", "materiali", "tessuto", "tejido", "materiaal", "stof", "tecido", "materiais", "materiaali",
    "malzeme", "kumas", "материал", "ткань", "υλικο", "خامة", "חומר", "วัสดุ", "材质", "材質", "面料", "素材",
    "소재", "재질",
  ],
  pattern: [
    "pattern", "print", "motif", "muster", "motivo", "stampa", "estampado", "patroon", "padrao", "estampa",
    "monster", "wzor", "kuvio", "desen", "corak", "узор", "принт", "σχεδιο", "图案", "圖案", "柄", "패턴",
  ],
  gender: [
    "gender", "sex", "sexe", "geschlecht", "jenis kelamin", "genere", "genero", "geslacht",
    "kon", "kjonn", "plec", "cinsiyet", "пол", "性别", "性別", "성별",
  ],
  age_group: [
    "age group", "age", "age range", "tranche d'age", "age cible", "altersgruppe", "alter", "kelompok usia",
    "usia", "umur", "fascia di eta", "edad", "grupo de edad", "rango de edad", "leeftijd", "leeftijdsgroep",
    "idade", "faixa etaria", "alder", "aldersgruppe", "wiek", "grupa wiekowa", "yas", "yas grubu", "возраст",
    "年龄", "年齡", "年齢", "연령", "나이",
  ],
};

/** Letters that do not decompose into base letter + accent under NFD. */
const FOLDED_LETTERS: Readonly<Record<string, string>> = { ß: "ss", ø: "o", æ: "ae", œ: "oe", ł: "l", đ: "d", ı: "i" };
const FOLDABLE = /[ßøæœłđı]/g;
const COMBINING_MARKS = /\p{M}+/gu;
/** "Size (EU)", "Colour*", "Farbe:" → the name alone. */
const TRAILING_QUALIFIER = /\s*[(（[][^)）\]]*[)）\]]\s*$/u;
const TRAILING_PUNCTUATION = /[\s:：*.]+$/u;
const INNER_WHITESPACE = /[\s_]+/g;

/** "  Größe: " → "grosse", "Matière" → "matiere", "カラー" → "カラー". */
export function normalizeLabel(label: string): string {
  return label
    .normalize("NFD")
    .replace(COMBINING_MARKS, "")
    .toLowerCase()
    .replace(FOLDABLE, (letter) => FOLDED_LETTERS[letter] ?? letter)
    .replace(TRAILING_PUNCTUATION, "")
    .replace(TRAILING_QUALIFIER, "")
    .replace(TRAILING_PUNCTUATION, "")
    .replace(INNER_WHITESPACE, " ")
    .trim();
}

const KIND_BY_NAME: ReadonlyMap<string, AttributeKind> = new Map(
  (Object.entries(OPTION_NAMES) as [AttributeKind, readonly string[]][]).flatMap(([kind, names]) => names.map((name) => [normalizeLabel(name), kind] as const)),
);

/** Option names repeat across a catalog; remembering them keeps the hot path free of normalisation. */
const recognized = new Map<string, AttributeKind | null>();
const MAX_REMEMBERED_NAMES = 10_000;

/** The core attribute an option name stands for ("Farbe" → color), or null for others ("Scent"). */
export function recognizeAttributeKind(optionName: string): AttributeKind | null {
  const known = recognized.get(optionName);
  if (known !== undefined) return known;
  const kind = KIND_BY_NAME.get(normalizeLabel(optionName)) ?? null;
  if (recognized.size < MAX_REMEMBERED_NAMES) recognized.set(optionName, kind);
  return kind;
}

// ---------------------------------------------------------------------------------------------
// Gender and age group values

export type Gender = "female" | "male" | "unisex";
export type AgeGroup = "newborn" | "infant" | "toddler" | "kids" | "teen" | "adult" | "all ages";

/**
 * Values merchants use for gender and age, in several languages, as channel-neutral words. "Girls"
 * says both a gender and an age group.
 */
const AUDIENCE_WORDS: readonly { words: readonly string[]; gender?: Gender; ageGroup?: AgeGroup }[] = [
  { words: ["female", "women", "woman", "womens", "women's", "ladies", "lady", "her", "damen", "dame", "femme", "femmes", "wanita", "perempuan", "cewek", "donna", "donne", "mujer", "mujeres", "dames", "vrouw", "vrouwen", "mulher", "feminino", "feminina", "kvinna", "dam", "kvinde", "kobieta", "damskie", "kadin", "женский", "женщины", "女", "女性", "女士", "여성"], gender: "female" },
  { words: ["male", "men", "man", "mens", "men's", "gents", "him", "herren", "herr", "homme", "hommes", "pria", "laki-laki", "laki laki", "cowok", "uomo", "uomini", "hombre", "hombres", "heren", "masculino", "masculina", "mand", "mezczyzna", "meskie", "erkek", "мужской", "мужчины", "男", "男性", "男士", "남성"], gender: "male" },
  { words: ["unisex", "both", "all genders", "gender neutral", "mixte", "unisexe", "uniseks"], gender: "unisex" },
  { words: ["girl", "girls", "madchen", "fille", "filles", "anak perempuan", "bambina", "nina", "ninas", "meisje", "menina", "flicka", "女童", "女の子"], gender: "female", ageGroup: "kids" },
  { words: ["boy", "boys", "jungen", "junge", "garcon", "garcons", "anak laki-laki", "bambino", "nino", "ninos", "jongen", "menino", "pojke", "男童", "男の子"], gender: "male", ageGroup: "kids" },
  { words: ["newborn", "newborns", "neugeborene", "nouveau-ne", "bayi baru lahir", "neonato", "recien nacido", "pasgeborene", "recem-nascido", "neonati", "0-3 months", "0-3m"], ageGroup: "newborn" },
  { words: ["infant", "infants", "baby", "babies", "bebe", "bebes", "bayi", "saugling", "babys"], ageGroup: "infant" },
  { words: ["toddler", "toddlers", "kleinkind", "kleinkinder", "tout-petit", "balita", "peuter", "nino pequeno", "crianca pequena"], ageGroup: "toddler" },
  { words: ["kids", "kid", "child", "children", "childrens", "children's", "kinder", "kind", "enfant", "enfants", "anak", "anak-anak", "bambini", "ninos y ninas", "kinderen", "criancas", "infantil", "barn", "dzieci", "cocuk", "детский", "дети", "儿童", "子供", "키즈"], ageGroup: "kids" },
  { words: ["teen", "teens", "teenager", "teenagers", "junior", "juniors", "jugendliche", "ado", "ados", "adolescent", "adolescents", "remaja", "ragazzi", "adolescente", "adolescentes", "tiener", "tieners", "tonaring"], ageGroup: "teen" },
  { words: ["adult", "adults", "grown-up", "erwachsene", "erwachsener", "adulte", "adultes", "dewasa", "adulto", "adulti", "adultos", "volwassene", "volwassenen", "vuxen", "voksen", "dorosly", "yetiskin", "взрослый", "成人", "大人", "성인"], ageGroup: "adult" },
  { words: ["all ages", "all age", "any age", "alle altersgruppen", "tous ages", "semua umur", "semua usia", "tutte le eta", "todas las edades"], ageGroup: "all ages" },
];

const GENDER_BY_WORD = new Map<string, Gender>();
const AGE_GROUP_BY_WORD = new Map<string, AgeGroup>();
for (const entry of AUDIENCE_WORDS) {
  for (const word of entry.words) {
    const key = normalizeLabel(word);
    if (entry.gender && !GENDER_BY_WORD.has(key)) GENDER_BY_WORD.set(key, entry.gender);
    if (entry.ageGroup && !AGE_GROUP_BY_WORD.has(key)) AGE_GROUP_BY_WORD.set(key, entry.ageGroup);
  }
}

/** "Damen" → female, "Boys" → male, "Unisex" → unisex; null when the value says no gender. */
export function normalizeGender(value: string): Gender | null {
  return GENDER_BY_WORD.get(normalizeLabel(value)) ?? null;
}

/** "Kinder" → kids, "Baby" → infant, "Girls" → kids; null when the value says no age group. */
export function normalizeAgeGroup(value: string): AgeGroup | null {
  return AGE_GROUP_BY_WORD.get(normalizeLabel(value)) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Shopify category metafields

/**
 * Shopify's category metafields (namespace "shopify") that carry core attributes. The exact keys are
 * unconfirmed (../shared/specs/channels.md §5), so they all live here. Their values are usually
 * metaobject references we cannot resolve offline; only plain text values are used.
 */
export const SHOPIFY_CATEGORY_METAFIELD_KINDS: Readonly<Record<string, AttributeKind>> = {
  "color-pattern": "color",
  color: "color",
  size: "size",
  "clothing-size": "size",
  "shoe-size": "size",
  "ring-size": "size",
  fabric: "material",
  material: "material",
  "jewelry-material": "material",
  pattern: "pattern",
  "target-gender": "gender",
  gender: "gender",
  "age-group": "age_group",
};

export const SHOPIFY_CATEGORY_NAMESPACE = "shopify";

/** Text values of a metafield (list elements one by one), GIDs (unresolvable references) and blanks left out. */
export function metafieldTexts(value: MetafieldValue): string[] {
  if (typeof value === "string") {
    const text = value.trim();
    return text !== "" && !isGid(text) ? [text] : [];
  }
  if (typeof value === "number" || typeof value === "boolean") return [String(value)];
  if (Array.isArray(value)) return value.flatMap(metafieldTexts);
  return [];
}

/**
 * One attribute value from a metafield. Several values name the product's range ("Red, Blue") rather
 * than this variant, except for material, where several make a blend ("Cotton/Elastane").
 */
function metafieldAttributeValue(kind: AttributeKind, metafield: Metafield): string | null {
  const texts = metafieldTexts(metafield.value);
  if (texts.length === 1) return texts[0] as string;
  return kind === "material" && texts.length > 1 ? texts.join("/") : null;
}

type AttributeValues = Partial<Record<AttributeKind, string>>;

function categoryMetafieldValues(metafields: readonly Metafield[]): AttributeValues {
  const values: AttributeValues = {};
  for (const metafield of metafields) {
    if (metafield.namespace !== SHOPIFY_CATEGORY_NAMESPACE) continue;
    const kind = SHOPIFY_CATEGORY_METAFIELD_KINDS[metafield.key];
    if (!kind || values[kind] !== undefined) continue;
    const value = metafieldAttributeValue(kind, metafield);
    if (value !== null) values[kind] = value;
  }
  return values;
}

// ---------------------------------------------------------------------------------------------
// Per product and per variant

/** Shopify's marker for a product without options: one option "Title" with the value "Default Title". */
const DEFAULT_OPTION_NAME = "Title";
const DEFAULT_OPTION_VALUE = "Default Title";

interface ProductAttributeProfile {
  /** Option names in option order, with the attribute each was recognised as. */
  options: readonly { name: string; kind: AttributeKind | null }[];
  /** Values from the product's category metafields. */
  productValues: AttributeValues;
}

const profiles = new WeakMap<Product, ProductAttributeProfile>();

function isDefaultOption(name: string, value: string | undefined, product: Product): boolean {
  if (value === DEFAULT_OPTION_VALUE) return true;
  return name === DEFAULT_OPTION_NAME && product.options.length === 1 && product.variants.length <= 1;
}

function profileOf(product: Product): ProductAttributeProfile {
  let profile = profiles.get(product);
  if (!profile) {
    const ordered = product.options.length > 0 ? [...product.options].sort((a, b) => a.position - b.position) : [];
    profile = {
      options: ordered.map((option) => ({ name: option.name, kind: recognizeAttributeKind(option.name) })),
      productValues: categoryMetafieldValues(product.metafields),
    };
    profiles.set(product, profile);
  }
  return profile;
}

function selectedValue(variant: Variant, name: string): string | undefined {
  for (const selected of variant.selectedOptions) {
    if (selected.name === name) return selected.value;
  }
  return undefined;
}

/**
 * Every option dimension of the variant, in option order, with the core attribute it was recognised
 * as; Shopify's single-variant "Title: Default Title" is left out.
 */
export function variantAttributes(product: Product, variant: Variant): VariantAttribute[] {
  const { options } = profileOf(product);
  const attributes: VariantAttribute[] = [];
  if (options.length === 0) {
    for (const selected of variant.selectedOptions) {
      if (isDefaultOption(selected.name, selected.value, product)) continue;
      attributes.push({ name: selected.name, value: selected.value, kind: recognizeAttributeKind(selected.name) });
    }
    return attributes;
  }
  for (const option of options) {
    const value = selectedValue(variant, option.name);
    if (value === undefined || isDefaultOption(option.name, value, product)) continue;
    attributes.push({ name: option.name, value, kind: option.kind });
  }
  return attributes;
}

export interface CoreAttributes {
  color: string | null;
  size: string | null;
  material: string | null;
  pattern: string | null;
  /** female, male or unisex. */
  gender: Gender | null;
  /** newborn, infant, toddler, kids, teen, adult or "all ages". */
  ageGroup: AgeGroup | null;
}

/**
 * The variant's core attributes: from its options first (the first option of each kind), then from
 * the variant's and the product's Shopify category metafields. Gender and age group values are
 * normalised to channel-neutral words; values that name neither are left out.
 */
export function coreAttributes(product: Product, variant: Variant, attributes: readonly VariantAttribute[] = variantAttributes(product, variant)): CoreAttributes {
  const found: AttributeValues = {};
  for (const attribute of attributes) {
    const value = attribute.value.trim();
    if (attribute.kind && value !== "" && found[attribute.kind] === undefined) found[attribute.kind] = value;
  }
  const variantValues = variant.metafields.length > 0 ? categoryMetafieldValues(variant.metafields) : {};
  const { productValues } = profileOf(product);
  const pick = (kind: AttributeKind): string | null => found[kind] ?? variantValues[kind] ?? productValues[kind] ?? null;
  const gender = pick("gender");
  const ageGroup = pick("age_group");
  return {
    color: pick("color"),
    size: pick("size"),
    material: pick("material"),
    pattern: pick("pattern"),
    gender: gender === null ? null : normalizeGender(gender),
    ageGroup: ageGroup === null ? null : normalizeAgeGroup(ageGroup),
  };
}
