import type { LinksFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError } from "@remix-run/react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: polarisStyles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

function Document({ children, title = "Shelfcast" }: { children: React.ReactNode; title?: string }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="shopify-debug" content="web-vitals" />
        <title>{title}</title>
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return (
    <Document>
      <Outlet />
    </Document>
  );
}

/** Last resort when even the app layout failed: plain HTML, no Polaris context needed. */
export function ErrorBoundary() {
  const error = useRouteError();
  const heading = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : "Something went wrong";
  return (
    <Document title={`Shelfcast: ${heading}`}>
      <main style={{ fontFamily: "system-ui, sans-serif", padding: "2rem" }}>
        <h1>{heading}</h1>
        <p>Shelfcast could not load this page. Reload it; if it keeps failing, contact support with the time it happened.</p>
      </main>
    </Document>
  );
}
