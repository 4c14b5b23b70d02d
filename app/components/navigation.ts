/** The app's pages, in nav order. Shared by App Bridge's NavMenu (embedded) and the demo frame. */
export const NAV_ITEMS = [
  { label: "Dashboard", url: "/app" },
  { label: "Products", url: "/app/products" },
  { label: "Channels", url: "/app/channels" },
  { label: "Rules", url: "/app/rules" },
  { label: "Campaigns", url: "/app/campaigns" },
  { label: "Feed issues", url: "/app/feed-issues" },
  { label: "Pixels & consent", url: "/app/pixels" },
  { label: "Settings", url: "/app/settings" },
] as const;
