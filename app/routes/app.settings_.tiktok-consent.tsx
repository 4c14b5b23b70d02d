import { redirectDocument, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Layout, List, Page, Text } from "@shopify/polaris";
import { requireShop } from "~/.server/auth";
import { getDemoChannelFakes, isDemoChannelShop } from "~/.server/channels/channel-fetch";
import { getRuntime } from "~/.server/runtime";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";

/**
 * The demo's stand-in for TikTok Shop's seller consent page (/app/settings/tiktok-consent). The demo
 * cannot reach TikTok, so "Authorise" takes a one-time code from the demo's fake TikTok and goes to
 * Shelfcast's real callback with it and the state, exactly as TikTok's redirect would. Outside the
 * demo this page does not exist.
 */
async function requireDemo(request: Request, context: unknown) {
  const { shop } = await requireShop(request, context as never);
  if (!(await isDemoChannelShop(await getRuntime(), shop))) throw new Response("Not Found", { status: 404 });
  return shop;
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireDemo(request, context);
  const state = new URL(request.url).searchParams.get("state") ?? "";
  const { tiktok } = getDemoChannelFakes();
  return { state, seller: tiktok.seller.name, shops: tiktok.shops.map((shop) => `${shop.name} (${shop.region})`) };
}

export const meta: MetaFunction = () => [{ title: "Authorise Shelfcast (demo TikTok) · Shelfcast" }];

export async function action({ request, context }: ActionFunctionArgs) {
  await requireDemo(request, context);
  const form = await request.formData();
  const state = String(form.get("state") ?? "");
  const query = new URLSearchParams({ state });
  // TikTok's redirect carries a code when the seller authorised, none when they declined.
  if (form.get("decision") === "authorise") query.set("code", getDemoChannelFakes().tiktok.issueAuthCode());
  else query.set("error", "access_denied");
  // A full page load, as TikTok's redirect is: the callback is a resource route, not a page of the app.
  return redirectDocument(`/tiktok/callback?${query.toString()}`);
}

export default function DemoTikTokConsentPage() {
  const { state, seller, shops } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const decide = (decision: "authorise" | "decline") => submit({ state, decision }, { method: "post" });
  const deciding = navigation.state !== "idle" ? String(navigation.formData?.get("decision") ?? "") : null;

  return (
    <Page title="Authorise Shelfcast" subtitle="TikTok Shop seller consent, simulated by the demo" backAction={{ content: "Settings", url: "/app/settings" }}>
      <Layout>
        <Layout.Section>
          <Banner tone="info" title="This page stands in for TikTok">
            <Text as="p">
              With a real shop, Shelfcast sends the seller to TikTok Shop Seller Center, which asks them to authorise the app and then returns to Shelfcast with a one-time code. The demo has no TikTok to
              reach, so its simulated TikTok issues that code here. The rest of the flow (the callback, the token exchange, the shop list) runs exactly as it does for real.
            </Text>
          </Banner>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <Text as="h2" variant="headingMd">
                {`${seller} is asked to authorise Shelfcast`}
              </Text>
              <BlockStack gap="100">
                <Text as="p">Shelfcast will be able to manage products, prices and stock in these shops:</Text>
                <List type="bullet">
                  {shops.map((shop) => (
                    <List.Item key={shop}>{shop}</List.Item>
                  ))}
                </List>
              </BlockStack>
              {state === "" ? (
                <Text as="p" tone="critical">
                  This page was opened without an authorisation in progress: start from Connect TikTok Shop in Settings.
                </Text>
              ) : null}
              <InlineStack gap="200" align="end">
                <Button onClick={() => decide("decline")} disabled={deciding !== null} loading={deciding === "decline"}>
                  Decline
                </Button>
                <Button variant="primary" onClick={() => decide("authorise")} disabled={deciding !== null || state === ""} loading={deciding === "authorise"}>
                  Authorise
                </Button>
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary title="Authorise Shelfcast" />;
}
