import { describe, expect, it } from "vitest";
import { buildUtmLinks } from "../../../app/domain/readiness";

describe("UTM links for posts", () => {
  it("gives each channel its own source and medium, the campaign and the product", () => {
    const links = buildUtmLinks({ storefrontUrl: "https://shop.example/", handle: "linen-shirt", campaignId: "spring-drop", channels: ["tiktok", "tiktok-ads", "meta"] });
    expect(links).toEqual([
      { channel: "tiktok", url: "https://shop.example/products/linen-shirt?utm_source=tiktok&utm_medium=social&utm_campaign=spring-drop&utm_content=linen-shirt" },
      { channel: "tiktok-ads", url: "https://shop.example/products/linen-shirt?utm_source=tiktok&utm_medium=paid_social&utm_campaign=spring-drop&utm_content=linen-shirt" },
      { channel: "meta", url: "https://shop.example/products/linen-shirt?utm_source=meta&utm_medium=social&utm_campaign=spring-drop&utm_content=linen-shirt" },
    ]);
  });

  it("selects the variant and names it in utm_content", () => {
    const [link] = buildUtmLinks({ storefrontUrl: "https://shop.example", handle: "linen-shirt", variantId: "gid://shopify/ProductVariant/4501", campaignId: "spring-drop", channels: ["pinterest"] });
    const url = new URL(link?.url ?? "");
    expect(url.pathname).toBe("/products/linen-shirt");
    expect(url.searchParams.get("variant")).toBe("4501");
    expect(url.searchParams.get("utm_source")).toBe("pinterest");
    expect(url.searchParams.get("utm_content")).toBe("linen-shirt-4501");
  });

  it("escapes what a URL cannot carry as is, and lists a channel once", () => {
    const links = buildUtmLinks({ storefrontUrl: "https://shop.example", handle: "crème-brûlée", campaignId: "été & co", channels: ["google", "google"] });
    expect(links).toHaveLength(1);
    expect(links[0]?.url).toBe("https://shop.example/products/cr%C3%A8me-br%C3%BBl%C3%A9e?utm_source=google&utm_medium=shopping&utm_campaign=%C3%A9t%C3%A9+%26+co&utm_content=cr%C3%A8me-br%C3%BBl%C3%A9e");
  });
});
