import { BlockStack, List, Modal, Spinner, InlineStack, Text } from "@shopify/polaris";
import type { MappingPreview } from "~/.server/services/channel-feeds/mapping-editor";
import { diagnosticDelta, FieldChanges } from "./MappingPreviewPanel";

/**
 * The last look before saving: the edits in sentences and what they do to the preview product.
 * Confirming is held back while the preview of the current draft is still being computed.
 */
export function SaveMappingModal({
  open,
  onClose,
  onConfirm,
  preview,
  checking,
  saving,
  scope,
  productTitle,
}: {
  open: boolean;
  onClose: () => void;
  onConfirm: () => void;
  preview: MappingPreview | null;
  checking: boolean;
  saving: boolean;
  /** "Meta rules for all markets". */
  scope: string;
  productTitle: string | null;
}) {
  return (
    <Modal
      open={open}
      onClose={onClose}
      title={`Save ${scope}?`}
      primaryAction={{ content: "Save rules", onAction: onConfirm, loading: saving, disabled: checking }}
      secondaryActions={[{ content: "Keep editing", onAction: onClose }]}
    >
      <Modal.Section>
        {checking ? (
          <InlineStack gap="200" blockAlign="center">
            <Spinner size="small" accessibilityLabel="Checking the draft" />
            <Text as="span">Checking the draft…</Text>
          </InlineStack>
        ) : (
          <BlockStack gap="400">
            <BlockStack gap="100">
              <Text as="h3" variant="headingSm">
                What you changed
              </Text>
              {preview && preview.summary.length > 0 ? (
                <List type="bullet">
                  {preview.summary.map((sentence) => (
                    <List.Item key={sentence}>{sentence}</List.Item>
                  ))}
                </List>
              ) : (
                <Text as="p" tone="subdued">
                  {preview ? "No rule differs from the saved ones." : "Pick a product in the preview to see the changes before saving."}
                </Text>
              )}
            </BlockStack>
            {preview ? (
              <BlockStack gap="200">
                <Text as="h3" variant="headingSm">
                  {productTitle ? `Effect on “${productTitle}”` : "Effect on the preview product"}
                </Text>
                <Text as="p">{readinessSentence(preview)}</Text>
                <FieldChanges changes={preview.changes} items={preview.draft.items} />
              </BlockStack>
            ) : null}
            <Text as="p" tone="subdued">
              Feeds rebuild shortly after saving; channels pick up the change on their next fetch.
            </Text>
          </BlockStack>
        )}
      </Modal.Section>
    </Modal>
  );
}

function readinessSentence(preview: MappingPreview): string {
  const { saved, draft } = preview;
  const { fixed, introduced } = diagnosticDelta(preview);
  const ready =
    saved.counts.itemsReady === draft.counts.itemsReady
      ? `${draft.counts.itemsReady} of ${draft.counts.itemsTotal} items ready for ${draft.label}, as before`
      : `Items ready for ${draft.label}: ${saved.counts.itemsReady} → ${draft.counts.itemsReady} of ${draft.counts.itemsTotal}`;
  const problems = [fixed > 0 ? `${fixed} ${fixed === 1 ? "problem" : "problems"} fixed` : null, introduced > 0 ? `${introduced} new` : null].filter(Boolean).join(", ");
  return problems ? `${ready}; ${problems}.` : `${ready}.`;
}
