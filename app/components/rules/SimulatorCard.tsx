import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineGrid, InlineStack, List, Select, Spinner, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import type { Simulation, SimulatedChannel } from "~/.server/services/rules/stock-rules-editor";
import { ProductPicker, type PickableProduct } from "../channels/ProductPicker";

export interface SimulationRequest {
  productId: string;
  variantId: string | null;
  market: string;
  /** An ISO instant; null = now. */
  at: string | null;
}

const AVAILABILITY_WORDS: Record<SimulatedChannel["availability"], string> = {
  in_stock: "In stock",
  out_of_stock: "Out of stock",
  preorder: "Pre-order",
  backorder: "Backorder",
};

/** A `datetime-local` value ("2026-03-06T12:00", the browser's time) as an instant; null when empty or not a date. */
export function instantOfLocal(value: string): string | null {
  if (value.trim() === "") return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * The simulator: a variant at an instant, as every channel is told it, with the reasons and the
 * allocation arithmetic. It runs again whenever the variant, market or instant changes.
 */
export function SimulatorCard({
  products,
  search,
  onSearch,
  searching,
  markets,
  running,
  result,
  onRun,
}: {
  products: PickableProduct[];
  search: string;
  onSearch: (search: string) => void;
  searching: boolean;
  markets: string[];
  running: boolean;
  result: { ok: true; simulation: Simulation } | { ok: false; message: string } | null;
  onRun: (request: SimulationRequest) => void;
}) {
  const [product, setProduct] = useState<PickableProduct | null>(null);
  const [variantId, setVariantId] = useState<string | null>(null);
  const [market, setMarket] = useState(markets[0] ?? "US");
  const [atLocal, setAtLocal] = useState("");
  const at = instantOfLocal(atLocal);
  const badDate = atLocal.trim() !== "" && at === null;

  useEffect(() => {
    if (!product || badDate) return;
    const timer = setTimeout(() => onRun({ productId: product.id, variantId, market, at }), 250);
    return () => clearTimeout(timer);
  }, [product, variantId, market, at, badDate, onRun]);

  const simulation = result?.ok ? result.simulation : null;
  const variants = simulation && simulation.product.id === product?.id ? simulation.variants : [];

  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Simulator
          </Text>
          <Text as="p" tone="subdued">
            Pick a variant and a moment: see what every channel is told then, and why. It uses the saved rules and the shop&apos;s campaigns, exactly as the feeds and the channel pushes do.
          </Text>
        </BlockStack>
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="300">
          <ProductPicker
            label="Product"
            products={products}
            search={search}
            selected={product}
            onSelect={(picked) => {
              setProduct(picked);
              setVariantId(null);
            }}
            onSearch={onSearch}
            loading={searching}
          />
          <Select
            label="Variant"
            options={variants.length > 0 ? variants.map((variant) => ({ label: variant.title, value: variant.id })) : [{ label: product ? "Loading…" : "Pick a product first", value: "" }]}
            value={variantId ?? simulation?.variant.id ?? ""}
            onChange={(value) => setVariantId(value || null)}
            disabled={variants.length === 0}
          />
          <Select label="Market" options={markets.map((code) => ({ label: code, value: code }))} value={market} onChange={setMarket} disabled={markets.length < 2} />
          <TextField
            label="At"
            type="datetime-local"
            value={atLocal}
            onChange={setAtLocal}
            autoComplete="off"
            error={badDate ? "Enter a date and time" : undefined}
            helpText={atLocal ? "In your browser's time zone." : "Empty: now."}
            connectedRight={
              <Button onClick={() => setAtLocal("")} disabled={atLocal === ""}>
                Now
              </Button>
            }
          />
        </InlineGrid>
        {!product ? (
          <Text as="p" tone="subdued">
            Pick a product to see its offers.
          </Text>
        ) : result && !result.ok ? (
          <Banner tone="warning">{result.message}</Banner>
        ) : simulation ? (
          <div data-testid="rules-simulation" data-current={running ? "false" : "true"} style={{ opacity: running ? 0.6 : 1 }}>
            <SimulationResult simulation={simulation} />
          </div>
        ) : (
          <InlineStack gap="200" blockAlign="center">
            <Spinner size="small" accessibilityLabel="Working out the offers" />
            <Text as="span">Working out the offers…</Text>
          </InlineStack>
        )}
      </BlockStack>
    </Card>
  );
}

function quantityText(quantity: number | null): string {
  return quantity === null ? "not counted" : quantity.toLocaleString("en-US");
}

function SimulationResult({ simulation }: { simulation: Simulation }) {
  const { allocation } = simulation;
  const heldTotal = allocation.holds.reduce((sum, hold) => sum + hold.granted, 0);
  return (
    <BlockStack gap="400">
      <Text as="p" variant="bodySm" tone="subdued">
        {simulation.product.title}
        {simulation.variant.title && simulation.variant.title !== "Default Title" ? ` — ${simulation.variant.title}` : ""} in {simulation.market} at {new Date(simulation.at).toLocaleString()}
      </Text>
      {simulation.source === "stock" ? (
        <Banner tone="info">Without rules or campaigns every channel is sent Shopify&apos;s available stock as it is. The arithmetic below is what the rules would start from.</Banner>
      ) : null}
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          Allocation
        </Text>
        <InlineStack gap="300" wrap>
          <Badge>{`Stock ${quantityText(allocation.stock)}`}</Badge>
          <Badge>{`Sellable ${quantityText(allocation.sellable)}`}</Badge>
          <Badge tone="info">{`Web store keeps ${allocation.reservedForWebStore}`}</Badge>
          <Badge tone="attention">{`Held for campaigns ${heldTotal}`}</Badge>
          <Badge tone="success">{`Shared ${allocation.shared} across ${allocation.channelsInPlay.length} channels`}</Badge>
          {allocation.unallocated > 0 ? <Badge>{`${allocation.unallocated} no channel could take`}</Badge> : null}
        </InlineStack>
        {allocation.holds.length > 0 ? (
          <List type="bullet">
            {allocation.holds.map((hold) => (
              <List.Item key={hold.campaignId}>
                {`“${hold.campaignName}” asks ${hold.asked}, gets ${hold.granted}`}
                {hold.granted < hold.asked ? " (over-reserved)" : ""}
              </List.Item>
            ))}
          </List>
        ) : null}
        {simulation.rulesApplied.length > 0 ? (
          <Text as="p" tone="subdued">
            Rules that apply, most specific first: {simulation.rulesApplied.map((rule) => rule.id).join(", ")}
          </Text>
        ) : (
          <Text as="p" tone="subdued">
            No rule covers this variant here.
          </Text>
        )}
        {simulation.overReservations.map((message) => (
          <Banner key={message} tone="warning">
            {message}
          </Banner>
        ))}
      </BlockStack>
      <DataTable
        columnContentTypes={["text", "numeric", "text", "text", "text", "text"]}
        headings={["Channel", "Quantity", "Availability", "Date", "Message", "Promotion"]}
        rows={simulation.channels.map((channel) => [
          `${channel.label}${channel.inPlay ? "" : " (not in play)"}`,
          quantityText(channel.quantity),
          AVAILABILITY_WORDS[channel.availability],
          channel.availabilityDate ? channel.availabilityDate.slice(0, 10) : "—",
          channel.message ?? "—",
          <PromotionBadge key={channel.channel} channel={channel} />,
        ])}
      />
      <BlockStack gap="300">
        <Text as="h3" variant="headingSm">
          Why
        </Text>
        {simulation.channels.map((channel) => (
          <BlockStack key={channel.channel} gap="100">
            <Text as="h4" variant="headingXs">
              {channel.label}
            </Text>
            <List type="bullet">
              {channel.reasons.map((reason, index) => (
                <List.Item key={index}>{reason}</List.Item>
              ))}
              {channel.promotion.promotedBy.length > 0 ? <List.Item>{`Promoted by ${channel.promotion.promotedBy.join(", ")}`}</List.Item> : null}
              {channel.promotion.protectedBy.length > 0 ? <List.Item>{`Protected by ${channel.promotion.protectedBy.join(", ")}`}</List.Item> : null}
              {channel.promotion.problems.map((problem) => (
                <List.Item key={problem.code}>
                  <Text as="span" tone={problem.severity === "error" ? "critical" : "caution"}>
                    {`${problem.message} ${problem.fix}`}
                  </Text>
                </List.Item>
              ))}
            </List>
          </BlockStack>
        ))}
      </BlockStack>
    </BlockStack>
  );
}

function PromotionBadge({ channel }: { channel: SimulatedChannel }) {
  switch (channel.promotion.verdict) {
    case "blocked":
      return <Badge tone="critical">Blocked</Badge>;
    case "ok":
      return <Badge tone="success">Promoted, protected</Badge>;
    default:
      return <Text as="span" tone="subdued">Not promoted</Text>;
  }
}
