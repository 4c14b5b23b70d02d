import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation, useRouteError } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import { Banner, Box, Frame, Navigation } from "@shopify/polaris";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { requireShop } from "~/.server/auth";
import { NAV_ITEMS } from "~/components/navigation";
import { env } from "~/env.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop, mode } = await requireShop(request, context);
  return { apiKey: env().apiKey, shop, mode };
}

export default function AppLayout() {
  const { apiKey, shop, mode } = useLoaderData<typeof loader>();
  if (mode === "shopify") {
    return (
      <AppProvider isEmbeddedApp apiKey={apiKey}>
        <NavMenu>
          {NAV_ITEMS.map((item, index) => (
            <Link key={item.url} to={item.url} rel={index === 0 ? "home" : undefined}>
              {item.label}
            </Link>
          ))}
        </NavMenu>
        <Outlet />
      </AppProvider>
    );
  }
  return (
    <AppProvider isEmbeddedApp={false} apiKey={apiKey}>
      <DemoFrame shop={shop} />
    </AppProvider>
  );
}

/**
 * Outside Shopify Admin there is no App Bridge to draw the nav, so the demo draws the same items
 * in a Polaris Frame, with a banner that says plainly this is the demo shop.
 */
function DemoFrame({ shop }: { shop: string }) {
  const location = useLocation();
  const navigation = (
    <Navigation location={location.pathname}>
      <Navigation.Section
        title="Shelfcast"
        items={NAV_ITEMS.map((item) => ({
          label: item.label,
          url: item.url,
          exactMatch: item.url === "/app",
          selected: item.url === "/app" ? location.pathname === "/app" : location.pathname.startsWith(item.url),
        }))}
      />
    </Navigation>
  );
  return (
    <Frame navigation={navigation}>
      <Box paddingBlockStart="400" paddingInlineStart="400" paddingInlineEnd="400">
        <Banner tone="info" title="Demo shop">
          You are looking at {shop}, a generated shop with no Shopify account behind it. Nothing here reaches Shopify, Meta or TikTok.
        </Banner>
      </Box>
      <Outlet />
    </Frame>
  );
}

// Shopify's boundary turns authentication redirects thrown by `authenticate.admin` into the
// responses App Bridge expects; without it they would render as errors.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
