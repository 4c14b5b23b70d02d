import { Banner, List } from "@shopify/polaris";

/**
 * Stored settings, rules or campaigns that failed validation and were left out, in words support can
 * read. Renders nothing when there are none, so pages can place it unconditionally.
 */
export function IgnoredSettingsBanner({ title, problems }: { title: string; problems: readonly string[] }) {
  if (problems.length === 0) return null;
  return (
    <Banner tone="warning" title={title}>
      <List type="bullet">
        {problems.map((problem) => (
          <List.Item key={problem}>{problem}</List.Item>
        ))}
      </List>
    </Banner>
  );
}
