import { BlockStack, Box, Button, Checkbox, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { ArrowDownIcon, ArrowUpIcon, DeleteIcon } from "@shopify/polaris-icons";
import { MAPPING_LIMITS, type Transform } from "~/domain/channels/mapping/schema";
import { InlineErrors } from "./InlineErrors";
import { defaultTransform, errorsUnder, move, removeAt, replaceAt, type PathError } from "./mapping-draft";

type CaseName = Extract<Transform, { type: "case" }>["to"];

/** Words for the transforms; a Record so a new transform in the schema fails to compile until named here. */
const TRANSFORMS: Record<Transform["type"], string> = {
  truncate: "Shorten",
  stripHtml: "Remove HTML",
  case: "Change case",
  prefix: "Add text before",
  suffix: "Add text after",
  replace: "Replace text",
  trim: "Trim spaces",
};

const CASES: Record<CaseName, string> = {
  upper: "UPPER CASE",
  lower: "lower case",
  title: "Title Case",
  sentence: "Sentence case",
};

const TYPE_OPTIONS = (Object.keys(TRANSFORMS) as Transform["type"][]).map((type) => ({ label: TRANSFORMS[type], value: type }));

/** The steps applied, in order, to the value a rule's source produced. */
export function TransformsEditor({ transforms, onChange, errors }: { transforms: Transform[]; onChange: (transforms: Transform[]) => void; errors: readonly PathError[] }) {
  return (
    <BlockStack gap="200">
      {transforms.map((transform, index) => (
        <BlockStack gap="100" key={index}>
          <InlineStack gap="200" blockAlign="end" wrap={false}>
            <div style={{ width: "11rem", flexShrink: 0 }}>
              <Select
                label={`Step ${index + 1}`}
                options={TYPE_OPTIONS}
                value={transform.type}
                onChange={(type) => onChange(replaceAt(transforms, index, defaultTransform(type as Transform["type"])))}
              />
            </div>
            <div style={{ flex: 1, minWidth: 0 }}>
              <TransformInputs transform={transform} onChange={(next) => onChange(replaceAt(transforms, index, next))} />
            </div>
            <InlineStack gap="050" wrap={false}>
              <Button icon={ArrowUpIcon} variant="tertiary" disabled={index === 0} accessibilityLabel={`Move step ${index + 1} up`} onClick={() => onChange(move(transforms, index, -1))} />
              <Button
                icon={ArrowDownIcon}
                variant="tertiary"
                disabled={index === transforms.length - 1}
                accessibilityLabel={`Move step ${index + 1} down`}
                onClick={() => onChange(move(transforms, index, 1))}
              />
              <Button icon={DeleteIcon} variant="tertiary" accessibilityLabel={`Remove step ${index + 1}`} onClick={() => onChange(removeAt(transforms, index))} />
            </InlineStack>
          </InlineStack>
          <InlineErrors errors={errorsUnder(errors, `[${index}]`)} />
        </BlockStack>
      ))}
      <div>
        <Button size="slim" onClick={() => onChange([...transforms, defaultTransform("suffix")])} disabled={transforms.length >= MAPPING_LIMITS.transformsPerRule}>
          Add step
        </Button>
      </div>
    </BlockStack>
  );
}

function TransformInputs({ transform, onChange }: { transform: Transform; onChange: (transform: Transform) => void }) {
  switch (transform.type) {
    case "truncate":
      return (
        <InlineStack gap="300" blockAlign="center" wrap={false}>
          <div style={{ width: "7rem" }}>
            <TextField
              label="Characters at most"
              type="number"
              min={1}
              max={MAPPING_LIMITS.truncateMax}
              autoComplete="off"
              value={Number.isFinite(transform.max) ? String(transform.max) : ""}
              onChange={(text) => onChange({ ...transform, max: text === "" ? Number.NaN : Math.trunc(Number(text)) })}
            />
          </div>
          <Box>
            <Checkbox label="At a word boundary" checked={transform.atWord ?? false} onChange={(atWord) => onChange({ ...transform, atWord: atWord ? true : undefined })} />
          </Box>
        </InlineStack>
      );
    case "case":
      return (
        <Select
          label="To"
          options={(Object.keys(CASES) as CaseName[]).map((name) => ({ label: CASES[name], value: name }))}
          value={transform.to}
          onChange={(to) => onChange({ ...transform, to: to as CaseName })}
        />
      );
    case "prefix":
    case "suffix":
      return (
        <TextField
          label={transform.type === "prefix" ? "Text before" : "Text after"}
          autoComplete="off"
          value={transform.value}
          maxLength={MAPPING_LIMITS.affixLength}
          onChange={(value) => onChange({ ...transform, value })}
          placeholder={transform.type === "prefix" ? "e.g. Handmade: " : "e.g.  – organic cotton"}
        />
      );
    case "replace":
      return (
        <InlineStack gap="200" blockAlign="end" wrap={false}>
          <div style={{ flex: 1 }}>
            <TextField label="Find" autoComplete="off" value={transform.find} maxLength={MAPPING_LIMITS.replaceFindLength} onChange={(find) => onChange({ ...transform, find })} />
          </div>
          <div style={{ flex: 1 }}>
            <TextField label="Replace with" autoComplete="off" value={transform.with} maxLength={MAPPING_LIMITS.affixLength} onChange={(value) => onChange({ ...transform, with: value })} />
          </div>
          <Box paddingBlockEnd="150">
            <Checkbox label="Every match" checked={transform.all ?? false} onChange={(all) => onChange({ ...transform, all: all ? true : undefined })} />
          </Box>
        </InlineStack>
      );
    case "stripHtml":
    case "trim":
      return (
        <Box paddingBlockEnd="150">
          <Text as="span" tone="subdued" variant="bodySm">
            {transform.type === "stripHtml" ? "Removes tags and decodes entities, keeping the text." : "Removes spaces and line breaks at both ends."}
          </Text>
        </Box>
      );
  }
}
