import { BlockStack, Button, InlineGrid, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { DeleteIcon } from "@shopify/polaris-icons";
import { CONDITION_KINDS, CONDITION_OP_WORDS, MAPPING_LIMITS, type Condition, type ConditionKind } from "~/domain/channels/mapping/schema";
import { InlineErrors } from "./InlineErrors";
import { errorsUnder, removeAt, replaceAt, type PathError } from "./mapping-draft";

const KIND_OPTIONS = (Object.keys(CONDITION_KINDS) as ConditionKind[]).map((kind) => ({ label: CONDITION_KINDS[kind].label, value: kind }));

function newCondition(kind: ConditionKind): Condition {
  const info = CONDITION_KINDS[kind];
  return { on: kind, op: info.ops[0] ?? "equals", value: info.valueKind === "number" ? 0 : "" };
}

/**
 * The value as typed. Parsing and printing round-trip exactly while typing (a list keeps its spaces
 * and a trailing comma, a number its trailing dot), so the cursor never jumps; `tidyValue` cleans up
 * when the field loses focus.
 */
function valueText(condition: Condition): string {
  return Array.isArray(condition.value) ? condition.value.join(",") : String(condition.value);
}

function parseValue(condition: Condition, op: Condition["op"], text: string): Condition["value"] {
  const info = CONDITION_KINDS[condition.on];
  if (info.valueKind === "number") {
    // Only text that prints back identically becomes a number ("1." stays text until "1.5").
    const number = Number(text);
    return text.trim() !== "" && Number.isFinite(number) && String(number) === text ? number : text;
  }
  if (op === "in") return text.split(",");
  return text;
}

function tidyValue(condition: Condition): Condition["value"] {
  const { value } = condition;
  if (Array.isArray(value)) return value.map((entry) => entry.trim()).filter((entry) => entry !== "");
  if (CONDITION_KINDS[condition.on].valueKind === "number" && typeof value === "string") {
    // Text that is not a number is kept as typed, so the server can say what is wrong with it.
    const number = Number(value.trim().replace(",", "."));
    return value.trim() !== "" && Number.isFinite(number) ? number : value;
  }
  return value;
}

/**
 * Conditions as rows: what is compared, how, and with what. Used for a rule's "when" and for the
 * include and exclude filters.
 */
export function ConditionsEditor({
  conditions,
  onChange,
  errors,
  errorPrefix,
  addLabel,
  emptyText,
  max = MAPPING_LIMITS.conditionsPerRule,
}: {
  conditions: Condition[];
  onChange: (conditions: Condition[]) => void;
  errors: readonly PathError[];
  /** The path of this list in the rules, e.g. "fields.title[0].when" or "include". */
  errorPrefix: string;
  addLabel: string;
  emptyText: string;
  max?: number;
}) {
  return (
    <BlockStack gap="200">
      {conditions.length === 0 ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {emptyText}
        </Text>
      ) : (
        conditions.map((condition, index) => (
          <ConditionRow
            key={index}
            condition={condition}
            onChange={(next) => onChange(replaceAt(conditions, index, next))}
            onRemove={() => onChange(removeAt(conditions, index))}
            errors={errorsUnder(errors, `${errorPrefix}[${index}]`)}
          />
        ))
      )}
      <div>
        <Button size="slim" onClick={() => onChange([...conditions, newCondition("tag")])} disabled={conditions.length >= max}>
          {addLabel}
        </Button>
      </div>
    </BlockStack>
  );
}

function ConditionRow({ condition, onChange, onRemove, errors }: { condition: Condition; onChange: (next: Condition) => void; onRemove: () => void; errors: PathError[] }) {
  const info = CONDITION_KINDS[condition.on];
  const isNumber = info.valueKind === "number";
  return (
    <BlockStack gap="100">
      <InlineStack gap="200" blockAlign="start" wrap={false}>
        <div style={{ flex: 1, minWidth: 0 }}>
          <InlineGrid columns={["oneThird", "oneThird", "oneThird"]} gap="200">
            <Select label="Compare" labelHidden options={KIND_OPTIONS} value={condition.on} onChange={(kind) => onChange(newCondition(kind as ConditionKind))} />
            <Select
              label="Operator"
              labelHidden
              options={info.ops.map((op) => ({ label: CONDITION_OP_WORDS[op], value: op }))}
              value={condition.op}
              onChange={(op) => onChange({ ...condition, op: op as Condition["op"], value: parseValue(condition, op as Condition["op"], valueText(condition)) })}
            />
            <TextField
              label="Value"
              labelHidden
              autoComplete="off"
              inputMode={isNumber ? "decimal" : undefined}
              placeholder={condition.op === "in" ? "Shirts, Tops" : isNumber ? "10" : condition.on === "collection" ? "Collection id" : "Value"}
              value={valueText(condition)}
              onChange={(text) => onChange({ ...condition, value: parseValue(condition, condition.op, text) })}
              onBlur={() => onChange({ ...condition, value: tidyValue(condition) })}
            />
          </InlineGrid>
        </div>
        <Button icon={DeleteIcon} variant="tertiary" onClick={onRemove} accessibilityLabel={`Remove the ${info.label.toLowerCase()} condition`} />
      </InlineStack>
      <Text as="p" variant="bodySm" tone="subdued">
        {info.help}
      </Text>
      <InlineErrors errors={errors} />
    </BlockStack>
  );
}
