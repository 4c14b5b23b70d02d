import { Badge, Banner, BlockStack, Box, Button, Card, InlineStack, Select, Text } from "@shopify/polaris";
import { ArrowDownIcon, ArrowUpIcon, DeleteIcon } from "@shopify/polaris-icons";
import { useEffect, useRef, useState } from "react";
import {
  GRANULARITY_OPTIONS,
  MAPPABLE_FIELDS,
  MAPPING_LIMITS,
  fieldRuleEntries,
  mappableFieldInfo,
  type FieldRule,
  type Granularity,
  type MappingRules,
} from "~/domain/channels/mapping/schema";
import type { MappableField } from "~/domain/channels/types";
import { ConditionsEditor } from "./ConditionsEditor";
import { InlineErrors } from "./InlineErrors";
import { SourceEditor } from "./SourceEditor";
import { TransformsEditor } from "./TransformsEditor";
import { defaultRule, errorsUnder, move, removeAt, replaceAt, setConditions, setFieldRules, type PathError } from "./mapping-draft";

const FIELD_OPTIONS = MAPPABLE_FIELDS.map((info) => ({ label: info.label, value: info.field }));

/**
 * The mapping rules as a form: per field, rules tried top to bottom; then which items go to the
 * channel (include/exclude) and how many per product.
 */
export function RulesForm({
  draft,
  onChange,
  errors,
  focusField,
}: {
  draft: MappingRules;
  onChange: (draft: MappingRules) => void;
  errors: readonly PathError[];
  /** A field to bring into view (a fix link names it). */
  focusField: MappableField | null;
}) {
  const entries = fieldRuleEntries(draft);
  const [fieldToAdd, setFieldToAdd] = useState<MappableField>(focusField ?? "title");

  const addRule = (field: MappableField) => onChange(setFieldRules(draft, field, [...(draft.fields?.[field] ?? []), defaultRule(field)]));

  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="400">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Field rules
            </Text>
            <Text as="p" tone="subdued">
              For each field, rules are tried from the top: the first whose conditions all hold and whose value is not empty sets the field. When none does, Shelfcast&apos;s default stays.
            </Text>
          </BlockStack>
          {focusField && !draft.fields?.[focusField] ? (
            <Banner tone="info" title={`No rule sets ${mappableFieldInfo(focusField).label.toLowerCase()} yet`} action={{ content: `Add a ${mappableFieldInfo(focusField).label.toLowerCase()} rule`, onAction: () => addRule(focusField) }}>
              <Text as="p">{mappableFieldInfo(focusField).help}</Text>
            </Banner>
          ) : null}
          {entries.length === 0 ? (
            <Text as="p" tone="subdued">
              No rules yet: every field uses Shelfcast&apos;s default.
            </Text>
          ) : (
            entries.map(([field, rules]) => (
              <FieldSection
                key={field}
                field={field}
                rules={rules}
                focused={field === focusField}
                onChange={(next) => onChange(setFieldRules(draft, field, next))}
                errors={errorsUnder(errors, `fields.${field}`)}
              />
            ))
          )}
          <InlineStack gap="200" blockAlign="end">
            <div style={{ minWidth: "14rem" }}>
              <Select label="Add a rule for" options={FIELD_OPTIONS} value={fieldToAdd} onChange={(value) => setFieldToAdd(value as MappableField)} />
            </div>
            <Button onClick={() => addRule(fieldToAdd)} disabled={(draft.fields?.[fieldToAdd]?.length ?? 0) >= MAPPING_LIMITS.rulesPerField}>
              Add rule
            </Button>
          </InlineStack>
          <InlineErrors errors={errors.filter((error) => error.path === "fields")} />
        </BlockStack>
      </Card>

      <Card>
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">
            Which items go to the channel
          </Text>
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              Include only items where any of these holds
            </Text>
            <ConditionsEditor
              conditions={draft.include ?? []}
              onChange={(conditions) => onChange(setConditions(draft, "include", conditions))}
              errors={errors}
              errorPrefix="include"
              addLabel="Add include condition"
              emptyText="No include conditions: every item is included."
              max={MAPPING_LIMITS.filterConditions}
            />
          </BlockStack>
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              Exclude items where any of these holds
            </Text>
            <ConditionsEditor
              conditions={draft.exclude ?? []}
              onChange={(conditions) => onChange(setConditions(draft, "exclude", conditions))}
              errors={errors}
              errorPrefix="exclude"
              addLabel="Add exclude condition"
              emptyText="No exclude conditions."
              max={MAPPING_LIMITS.filterConditions}
            />
          </BlockStack>
          <Select
            label="Items per product"
            options={[{ label: "Channel default (every variant)", value: "" }, ...GRANULARITY_OPTIONS.map((option) => ({ label: option.label, value: option.value }))]}
            value={draft.granularity ?? ""}
            onChange={(value) => {
              const next: MappingRules = { ...draft };
              if (value === "") delete next.granularity;
              else next.granularity = value as Granularity;
              onChange(next);
            }}
            helpText={GRANULARITY_OPTIONS.find((option) => option.value === draft.granularity)?.help ?? "One item per variant, grouped by product."}
            error={errorsUnder(errors, "granularity").map((error) => error.message).join("; ") || undefined}
          />
        </BlockStack>
      </Card>
    </BlockStack>
  );
}

function FieldSection({
  field,
  rules,
  focused,
  onChange,
  errors,
}: {
  field: MappableField;
  rules: FieldRule[];
  focused: boolean;
  onChange: (rules: FieldRule[]) => void;
  errors: PathError[];
}) {
  const info = mappableFieldInfo(field);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (focused) ref.current?.scrollIntoView({ block: "start", behavior: "smooth" });
  }, [focused]);

  return (
    <div ref={ref} data-testid={`field-rules-${field}`}>
      <Box padding="300" borderWidth={focused ? "050" : "025"} borderColor={focused ? "border-focus" : "border"} borderRadius="200">
        <BlockStack gap="300">
          <BlockStack gap="050">
            <InlineStack gap="200" blockAlign="center">
              <Text as="h3" variant="headingSm">
                {info.label}
              </Text>
              {info.required ? <Badge>Required</Badge> : null}
              {info.allowedValues ? <Text as="span" variant="bodySm" tone="subdued">{`One of: ${info.allowedValues.join(", ")}`}</Text> : null}
            </InlineStack>
            <Text as="p" variant="bodySm" tone="subdued">
              {info.help}
            </Text>
          </BlockStack>
          {rules.map((rule, index) => (
            <RuleEditor
              key={index}
              label={rules.length > 1 ? `Rule ${index + 1} of ${rules.length}` : "Rule"}
              rule={rule}
              onChange={(next) => onChange(replaceAt(rules, index, next))}
              onRemove={() => onChange(removeAt(rules, index))}
              onMove={rules.length > 1 ? (by) => onChange(move(rules, index, by)) : null}
              isFirst={index === 0}
              isLast={index === rules.length - 1}
              errors={errorsUnder(errors, `[${index}]`)}
            />
          ))}
          <div>
            <Button size="slim" variant="plain" onClick={() => onChange([...rules, defaultRule(field)])} disabled={rules.length >= MAPPING_LIMITS.rulesPerField}>
              {`Add another ${info.label.toLowerCase()} rule`}
            </Button>
          </div>
        </BlockStack>
      </Box>
    </div>
  );
}

function RuleEditor({
  label,
  rule,
  onChange,
  onRemove,
  onMove,
  isFirst,
  isLast,
  errors,
}: {
  label: string;
  rule: FieldRule;
  onChange: (rule: FieldRule) => void;
  onRemove: () => void;
  onMove: ((by: -1 | 1) => void) | null;
  isFirst: boolean;
  isLast: boolean;
  errors: PathError[];
}) {
  const ruleLevel = errors.filter((error) => !/^(when|source|transforms)\b/.test(error.path));
  return (
    <Box padding="300" background="bg-surface-secondary" borderRadius="200">
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h4" variant="headingXs">
            {label}
          </Text>
          <InlineStack gap="050">
            {onMove ? (
              <>
                <Button icon={ArrowUpIcon} variant="tertiary" disabled={isFirst} accessibilityLabel={`Move ${label.toLowerCase()} up`} onClick={() => onMove(-1)} />
                <Button icon={ArrowDownIcon} variant="tertiary" disabled={isLast} accessibilityLabel={`Move ${label.toLowerCase()} down`} onClick={() => onMove(1)} />
              </>
            ) : null}
            <Button icon={DeleteIcon} variant="tertiary" tone="critical" accessibilityLabel={`Remove ${label.toLowerCase()}`} onClick={onRemove} />
          </InlineStack>
        </InlineStack>
        <BlockStack gap="100">
          <Text as="p" variant="bodySm" fontWeight="semibold">
            When
          </Text>
          <ConditionsEditor
            conditions={rule.when ?? []}
            onChange={(when) => {
              const next: FieldRule = { ...rule, when };
              if (when.length === 0) delete next.when;
              onChange(next);
            }}
            errors={errors}
            errorPrefix="when"
            addLabel="Add condition"
            emptyText="Applies to every item."
          />
        </BlockStack>
        <SourceEditor source={rule.source} onChange={(source) => onChange({ ...rule, source })} errors={errorsUnder(errors, "source")} />
        <BlockStack gap="100">
          <Text as="p" variant="bodySm" fontWeight="semibold">
            Then change the value
          </Text>
          <TransformsEditor
            transforms={rule.transforms ?? []}
            onChange={(transforms) => {
              const next: FieldRule = { ...rule, transforms };
              if (transforms.length === 0) delete next.transforms;
              onChange(next);
            }}
            errors={errorsUnder(errors, "transforms")}
          />
        </BlockStack>
        <InlineErrors errors={ruleLevel} />
      </BlockStack>
    </Box>
  );
}
