import { BlockStack, Box, Button, Checkbox, InlineGrid, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { DeleteIcon } from "@shopify/polaris-icons";
import { useState } from "react";
import {
  FIELD_SOURCE_PATHS,
  MAPPING_LIMITS,
  type FieldPath,
  type LookupSource,
  type MetafieldScope,
  type PlainSource,
  type Source,
} from "~/domain/channels/mapping/schema";
import { InlineErrors } from "./InlineErrors";
import { defaultSource, errorsUnder, type PathError } from "./mapping-draft";

/** Words for the source types; a Record so a new type in the schema fails to compile until named here. */
export const SOURCE_TYPES: Record<Source["type"], { label: string; help: string }> = {
  field: { label: "Shopify field", help: "A product or variant field, or Shelfcast's default for any field." },
  metafield: { label: "Metafield", help: "A metafield by namespace.key; the variant's is used first, then the product's." },
  template: { label: "Template", help: "Text with placeholders, e.g. {{product.title}} - {{variant.option1}}." },
  static: { label: "Fixed text", help: "The same value for every item the rule applies to." },
  lookup: { label: "Lookup table", help: "Reads a value, then replaces it using a table (e.g. Shopify category → TikTok category id)." },
};

const SCOPES: Record<MetafieldScope, string> = {
  "variant-then-product": "Variant, then product",
  product: "Product only",
  variant: "Variant only",
};

const GROUP_TITLES = { product: "Product", variant: "Variant", item: "Shelfcast defaults" } as const;

const PATH_OPTIONS = (Object.keys(GROUP_TITLES) as (keyof typeof GROUP_TITLES)[]).map((group) => ({
  title: GROUP_TITLES[group],
  options: FIELD_SOURCE_PATHS.filter((entry) => entry.group === group).map((entry) => ({ label: entry.label, value: entry.path })),
}));

const PLACEHOLDER_HINT = `Placeholders: ${FIELD_SOURCE_PATHS.filter((entry) => entry.group !== "item")
  .slice(0, 6)
  .map((entry) => `{{${entry.path}}}`)
  .join(", ")}, {{metafield.namespace.key}} and {{item.<field>}} for Shelfcast's defaults.`;

/** The keys whose errors each source type shows beside its own input; the rest show below it. */
const SHOWN_AT_INPUT: Record<Source["type"], ReadonlySet<string>> = {
  field: new Set(["path"]),
  metafield: new Set(["key"]),
  template: new Set(["template"]),
  static: new Set(["value"]),
  lookup: new Set(["from", "table", "fallback"]),
};

function firstSegment(path: string): string {
  return /^[^.[]*/.exec(path)?.[0] ?? "";
}

/** Where a rule's value comes from. Lookups nest a plain source (never another lookup). */
export function SourceEditor({ source, onChange, errors }: { source: Source; onChange: (source: Source) => void; errors: readonly PathError[] }) {
  return (
    <BlockStack gap="200">
      <Select
        label="Value from"
        options={(Object.keys(SOURCE_TYPES) as Source["type"][]).map((type) => ({ label: SOURCE_TYPES[type].label, value: type }))}
        value={source.type}
        onChange={(type) => onChange(defaultSource(type as Source["type"]))}
        helpText={SOURCE_TYPES[source.type].help}
      />
      {source.type === "lookup" ? <LookupEditor source={source} onChange={onChange} errors={errors} /> : <PlainSourceInputs source={source} onChange={onChange} errors={errors} />}
      <InlineErrors errors={errors.filter((error) => !SHOWN_AT_INPUT[source.type].has(firstSegment(error.path)))} />
    </BlockStack>
  );
}

function PlainSourceInputs({ source, onChange, errors }: { source: PlainSource; onChange: (source: PlainSource) => void; errors: readonly PathError[] }) {
  const messageAt = (key: string) => errorsUnder(errors, key).map((error) => (error.path ? `${error.path}: ${error.message}` : error.message)).join("; ") || undefined;
  switch (source.type) {
    case "field": {
      const help = FIELD_SOURCE_PATHS.find((entry) => entry.path === source.path)?.help;
      return <Select label="Field" options={PATH_OPTIONS} value={source.path} onChange={(path) => onChange({ type: "field", path: path as FieldPath })} helpText={help} error={messageAt("path")} />;
    }
    case "metafield":
      return (
        <InlineGrid columns={2} gap="200">
          <TextField
            label="Metafield (namespace.key)"
            autoComplete="off"
            placeholder="custom.material"
            value={source.key}
            onChange={(key) => onChange({ ...source, key })}
            error={messageAt("key")}
          />
          <Select
            label="Read from"
            options={(Object.keys(SCOPES) as MetafieldScope[]).map((scope) => ({ label: SCOPES[scope], value: scope }))}
            value={source.scope ?? "variant-then-product"}
            onChange={(scope) => onChange({ ...source, scope: scope === "variant-then-product" ? undefined : (scope as MetafieldScope) })}
          />
        </InlineGrid>
      );
    case "template":
      return (
        <TextField
          label="Template"
          autoComplete="off"
          multiline={2}
          monospaced
          maxLength={MAPPING_LIMITS.templateLength}
          value={source.template}
          onChange={(template) => onChange({ ...source, template })}
          helpText={PLACEHOLDER_HINT}
          error={messageAt("template")}
        />
      );
    case "static":
      return <TextField label="Value" autoComplete="off" value={source.value} maxLength={MAPPING_LIMITS.staticValueLength} onChange={(value) => onChange({ ...source, value })} error={messageAt("value")} />;
  }
}

interface TableRow {
  key: string;
  value: string;
}

function LookupEditor({ source, onChange, errors }: { source: LookupSource; onChange: (source: Source) => void; errors: readonly PathError[] }) {
  // Rows are edited here and written to the table without blank keys; the rows keep a half-typed
  // entry (no key yet) that the table cannot hold.
  const [rows, setRows] = useState<TableRow[]>(() => Object.entries(source.table).map(([key, value]) => ({ key, value })));
  const update = (next: TableRow[]) => {
    setRows(next);
    const table: Record<string, string> = {};
    for (const row of next) if (row.key !== "") table[row.key] = row.value;
    onChange({ ...source, table });
  };
  const fromTypes = (Object.keys(SOURCE_TYPES) as Source["type"][]).filter((type): type is PlainSource["type"] => type !== "lookup");
  const fromErrors = errorsUnder(errors, "from");
  const tableErrors = errorsUnder(errors, "table");

  return (
    <BlockStack gap="300">
      <Select
        label="Look up"
        options={fromTypes.map((type) => ({ label: SOURCE_TYPES[type].label, value: type }))}
        value={source.from.type}
        onChange={(type) => onChange({ ...source, from: defaultSource(type as PlainSource["type"]) as PlainSource })}
      />
      <PlainSourceInputs source={source.from} onChange={(from) => onChange({ ...source, from })} errors={fromErrors} />
      <InlineErrors errors={fromErrors.filter((error) => !SHOWN_AT_INPUT[source.from.type].has(firstSegment(error.path)))} />
      <BlockStack gap="200">
        <Text as="p" variant="bodySm" fontWeight="semibold">
          {`Table (${rows.length} of at most ${MAPPING_LIMITS.lookupEntries})`}
        </Text>
        {rows.map((row, index) => (
          <InlineStack key={index} gap="200" wrap={false} blockAlign="start">
            <div style={{ flex: 1, minWidth: 0 }}>
              {/* Keys are often long (taxonomy GIDs), values short (a category id, a size). */}
              <InlineGrid columns={["twoThirds", "oneThird"]} gap="200">
                <TextField
                  label={`When the value is (row ${index + 1})`}
                  labelHidden
                  placeholder="When the value is…"
                  autoComplete="off"
                  value={row.key}
                  onChange={(key) => update(rows.map((r, i) => (i === index ? { ...r, key } : r)))}
                />
                <TextField
                  label={`Write (row ${index + 1})`}
                  labelHidden
                  placeholder="…write"
                  autoComplete="off"
                  value={row.value}
                  onChange={(value) => update(rows.map((r, i) => (i === index ? { ...r, value } : r)))}
                />
              </InlineGrid>
            </div>
            <Button icon={DeleteIcon} variant="tertiary" accessibilityLabel={`Remove table row ${index + 1}`} onClick={() => update(rows.filter((_, i) => i !== index))} />
          </InlineStack>
        ))}
        <div>
          <Button size="slim" onClick={() => update([...rows, { key: "", value: "" }])} disabled={rows.length >= MAPPING_LIMITS.lookupEntries}>
            Add table row
          </Button>
        </div>
        <InlineErrors errors={tableErrors} />
      </BlockStack>
      <InlineGrid columns={2} gap="200">
        <TextField
          label="When nothing matches, write"
          autoComplete="off"
          placeholder="Empty: the next rule, or the default, decides"
          value={source.fallback ?? ""}
          onChange={(fallback) => onChange({ ...source, fallback: fallback === "" ? undefined : fallback })}
          error={errorsUnder(errors, "fallback").map((error) => error.message).join("; ") || undefined}
        />
        <Box paddingBlockStart="600">
          <Checkbox label="Ignore upper and lower case" checked={source.caseInsensitive ?? false} onChange={(checked) => onChange({ ...source, caseInsensitive: checked ? true : undefined })} />
        </Box>
      </InlineGrid>
    </BlockStack>
  );
}
