import { Badge, BlockStack, Box, Button, Card, Collapsible, Divider, InlineGrid, InlineStack, Link, List, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { BoardCell, BoardProduct, ReadinessBoard as Board } from "~/.server/services/rules/readiness-board";
import { numericId } from "~/components/channels/format";
import { REBUILDING_NOTE } from "~/domain/readiness/types";
import type { UtmLink } from "~/domain/readiness/utm-links";
import { readinessFixHref, readinessFixLabel } from "./readiness-links";

const JUDGED: Record<Board["judged"], string> = {
  start: "Judged for the moment the campaign starts, with today's stock.",
  now: "Judged now.",
  ended: "The campaign has ended; judged now.",
};

/**
 * The marketer's readiness board: per tagged product and channel, Ready or Blocked with the reasons
 * and where to fix each, what the channel is offered, and copyable UTM links for the posts.
 */
export function ReadinessBoard({ board, embedded, onCopied }: { board: Board; embedded: boolean; onCopied: (message: string, error?: boolean) => void }) {
  const blocked = board.products.reduce((count, product) => count + product.cells.filter((cell) => cell.verdict === "blocked").length, 0);
  const cells = board.products.reduce((count, product) => count + product.cells.length, 0);
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <InlineStack align="space-between" blockAlign="center">
            <Text as="h2" variant="headingMd">
              Readiness
            </Text>
            {cells > 0 ? <Badge tone={blocked === 0 ? "success" : "critical"}>{blocked === 0 ? "All ready" : `${blocked} of ${cells} blocked`}</Badge> : null}
          </InlineStack>
          <Text as="p" tone="subdued">
            Ready means the product is in the catalog and published, free of errors, protected by a stock rule, a hold or a pre-order date, priced as on the storefront, and live on the channel.{" "}
            {JUDGED[board.judged]} Market {board.market}.
          </Text>
          {board.rebuilding ? (
            <Text as="p" tone="caution">
              Feeds are being rebuilt; this board refreshes itself.
            </Text>
          ) : null}
        </BlockStack>
        {board.products.length === 0 ? (
          <Text as="p" tone="subdued">
            Tag products above to see whether each one is ready on the campaign's channels.
          </Text>
        ) : (
          board.products.map((product, index) => (
            <BlockStack gap="300" key={product.productId}>
              {index > 0 ? <Divider /> : null}
              <ProductReadiness product={product} embedded={embedded} onCopied={onCopied} />
            </BlockStack>
          ))
        )}
        {board.truncated ? (
          <Text as="p" tone="subdued">
            A tag in this campaign covers more products than the board shows; the first 100 are listed.
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function ProductReadiness({ product, embedded, onCopied }: { product: BoardProduct; embedded: boolean; onCopied: (message: string, error?: boolean) => void }) {
  const [showVariantLinks, setShowVariantLinks] = useState(false);
  const held = product.variants.reduce((sum, variant) => sum + variant.held, 0);
  const [productLinks, ...variantLinks] = product.links;
  return (
    <BlockStack gap="300">
      <InlineStack align="space-between" blockAlign="center" gap="200">
        <BlockStack gap="050">
          {product.handle ? (
            <Link url={`/app/products/${numericId(product.productId)}`} removeUnderline>
              <Text as="span" variant="headingSm">
                {product.title}
              </Text>
            </Link>
          ) : (
            <Text as="span" variant="headingSm">
              {product.title}
            </Text>
          )}
          <Text as="p" variant="bodySm" tone="subdued">
            {product.variants.length === 0
              ? "No variant covered"
              : `${product.variants.length} ${product.variants.length === 1 ? "variant" : "variants"} covered · ${held === 0 ? "no units held" : `${held} units held in total`}`}
          </Text>
        </BlockStack>
      </InlineStack>
      <InlineGrid columns={{ xs: 1, md: Math.min(3, Math.max(1, product.cells.length)) as 1 | 2 | 3 }} gap="300">
        {product.cells.map((cell) => (
          <ReadinessCell key={cell.channel} productId={product.productId} cell={cell} embedded={embedded} />
        ))}
      </InlineGrid>
      {productLinks ? <LinkRows label="Post links" links={productLinks.links} onCopied={onCopied} /> : null}
      {variantLinks.length > 0 ? (
        <BlockStack gap="200">
          <InlineStack>
            <Button variant="plain" onClick={() => setShowVariantLinks((open) => !open)} ariaExpanded={showVariantLinks}>
              {showVariantLinks ? "Hide variant links" : `Links per variant (${variantLinks.length})`}
            </Button>
          </InlineStack>
          <Collapsible id={`variant-links-${numericId(product.productId)}`} open={showVariantLinks}>
            <BlockStack gap="300">
              {variantLinks.map((entry) => (
                <LinkRows key={entry.variantId ?? entry.label} label={entry.label} links={entry.links} onCopied={onCopied} />
              ))}
            </BlockStack>
          </Collapsible>
        </BlockStack>
      ) : null}
    </BlockStack>
  );
}

function offeredText(cell: BoardCell): string {
  if (cell.offers.length === 0) return "Nothing offered";
  const messages = [...new Set(cell.offers.map((offer) => offer.message).filter((message): message is string => message !== null))];
  const units = cell.quantity === null ? "in stock (untracked)" : `${cell.quantity} ${cell.quantity === 1 ? "unit" : "units"}`;
  return `Offers ${units}${messages.length === 1 ? ` · “${messages[0]}”` : ""}`;
}

function ReadinessCell({ productId, cell, embedded }: { productId: string; cell: BoardCell; embedded: boolean }) {
  const ready = cell.verdict === "ready";
  return (
    <div data-testid="readiness-cell" data-product={numericId(productId)} data-channel={cell.channel} data-verdict={cell.verdict} data-quantity={cell.quantity === null ? "" : String(cell.quantity)}>
      <Box padding="300" borderWidth="025" borderRadius="200" borderColor={ready ? "border-success" : "border-critical"}>
        <BlockStack gap="200">
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <Text as="span" fontWeight="semibold">
              {cell.label}
            </Text>
            <Badge tone={ready ? "success" : "critical"}>{ready ? "Ready" : "Blocked"}</Badge>
          </InlineStack>
          <Text as="p" variant="bodySm" tone="subdued">
            {offeredText(cell)}
          </Text>
          {cell.reasons.length > 0 ? (
            <List type="bullet">
              {cell.reasons.map((reason) => (
                <List.Item key={reason.code}>
                  <BlockStack gap="050">
                    <span data-reason-code={reason.code}>
                      <Text as="span" variant="bodySm">
                        {reason.message}
                      </Text>
                    </span>
                    <Text as="span" variant="bodySm" tone="subdued">
                      {reason.fix}{" "}
                      {reason.fixTarget ? (
                        <Link url={readinessFixHref(reason.fixTarget, embedded)} removeUnderline>
                          {readinessFixLabel(reason.fixTarget, embedded)}
                        </Link>
                      ) : null}
                    </Text>
                    <Text as="span" variant="bodySm" tone="subdued">
                      <code>{reason.code}</code>
                    </Text>
                  </BlockStack>
                </List.Item>
              ))}
            </List>
          ) : null}
          {/* "Feeds are being rebuilt" is said once, above the board. */}
        {cell.notes.filter((note) => note !== REBUILDING_NOTE).map((note) => (
            <Text as="p" variant="bodySm" tone="caution" key={note}>
              {note}
            </Text>
          ))}
        </BlockStack>
      </Box>
    </div>
  );
}

function LinkRows({ label, links, onCopied }: { label: string; links: UtmLink[]; onCopied: (message: string, error?: boolean) => void }) {
  const copy = async (url: string, channel: string) => {
    try {
      await navigator.clipboard.writeText(url);
      onCopied(`${channel} link copied`);
    } catch {
      // Clipboard access can be refused (permissions, an insecure origin): the field stays selectable.
      onCopied("Copy was blocked by the browser; select the link and copy it instead", true);
    }
  };
  return (
    <BlockStack gap="150">
      <Text as="h3" variant="headingXs">
        {label}
      </Text>
      {links.map((link) => (
        <InlineStack key={link.channel} gap="200" blockAlign="center" wrap={false}>
          <Box minWidth="0" width="100%">
            <TextField label={`${label}: ${link.channel} link`} labelHidden value={link.url} readOnly autoComplete="off" prefix={link.channel} />
          </Box>
          <Button onClick={() => void copy(link.url, link.channel)} accessibilityLabel={`Copy the ${link.channel} link`}>
            Copy
          </Button>
        </InlineStack>
      ))}
    </BlockStack>
  );
}
