import { BlockStack, Card, DropZone, InlineStack, Spinner, Text } from "@shopify/polaris";
import { useState } from "react";

/** The server's limit on an uploaded HAR (app.pixels.tsx); checked here too so a big file fails at once. */
export const MAX_HAR_BYTES = 10 * 1024 * 1024;

/**
 * Upload a HAR exported from the browser's devtools (Network → Save all as HAR): the checks then read
 * that session's requests to Meta, TikTok, Pinterest and Google instead of the collector's log.
 */
export function HarUpload({ uploading, onUpload }: { uploading: boolean; onUpload: (file: File) => void }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);

  const accept = (files: File[]) => {
    const [file] = files;
    if (!file) return;
    if (file.size > MAX_HAR_BYTES) {
      setProblem(`${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MB; HAR files up to 10 MB can be checked. Record a shorter session.`);
      return;
    }
    setProblem(null);
    setFileName(file.name);
    onUpload(file);
  };

  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Check a recorded session (HAR)
          </Text>
          <Text as="p" tone="subdued">
            In your storefront, open the browser's developer tools, browse to a product, add it to the cart and check out, then save the Network tab as a HAR file and drop it here.
          </Text>
        </BlockStack>
        <DropZone accept=".har,application/json" type="file" allowMultiple={false} onDrop={(_all, accepted) => accept(accepted)} label="HAR file" labelHidden disabled={uploading} error={problem !== null}>
          {uploading ? (
            <InlineStack align="center" blockAlign="center" gap="200">
              <Spinner size="small" accessibilityLabel="Checking the HAR file" />
              <Text as="span">{`Checking ${fileName ?? "the file"}…`}</Text>
            </InlineStack>
          ) : (
            <DropZone.FileUpload actionTitle="Upload HAR" actionHint="Accepts .har files up to 10 MB" />
          )}
        </DropZone>
        {problem ? (
          <Text as="p" tone="critical">
            {problem}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
