import { Link as RemixLink } from "@remix-run/react";
import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import type { CalendarMonth } from "~/domain/campaigns/calendar";

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

const cellStyle = { verticalAlign: "top", border: "1px solid var(--p-color-border-secondary)", padding: "4px", height: "5.5rem", width: `${100 / 7}%` } as const;

/** A month of campaign windows in the shop's time zone: a bar per campaign on each day it runs. */
export function CampaignCalendar({ calendar, timeZone, onMonth }: { calendar: CalendarMonth; timeZone: string; onMonth: (month: string) => void }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <BlockStack gap="050">
            <Text as="h2" variant="headingMd">
              {calendar.label}
            </Text>
            <Text as="p" variant="bodySm" tone="subdued">
              Times in {timeZone}
            </Text>
          </BlockStack>
          <InlineStack gap="200">
            <Button onClick={() => onMonth(calendar.previous)} accessibilityLabel="Previous month">
              ‹
            </Button>
            <Button onClick={() => onMonth(calendar.next)} accessibilityLabel="Next month">
              ›
            </Button>
          </InlineStack>
        </InlineStack>
        <table style={{ width: "100%", borderCollapse: "collapse", tableLayout: "fixed" }} data-testid="campaign-calendar">
          <thead>
            <tr>
              {WEEKDAYS.map((day) => (
                <th key={day} style={{ textAlign: "start", padding: "4px" }}>
                  <Text as="span" variant="bodySm" tone="subdued">
                    {day}
                  </Text>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {calendar.weeks.map((week) => (
              <tr key={week[0]?.date}>
                {week.map((day) => (
                  <td key={day.date} style={{ ...cellStyle, background: day.inMonth ? undefined : "var(--p-color-bg-surface-secondary)" }}>
                    <Text as="span" variant="bodySm" tone={day.inMonth ? undefined : "subdued"}>
                      {day.dayOfMonth}
                    </Text>
                    {day.campaigns.map((campaign) => (
                      <RemixLink
                        key={campaign.id}
                        to={`/app/campaigns/${campaign.id}`}
                        title={campaign.name}
                        style={{
                          display: "block",
                          marginTop: "2px",
                          padding: "1px 4px",
                          fontSize: "0.75rem",
                          whiteSpace: "nowrap",
                          overflow: "hidden",
                          textOverflow: "ellipsis",
                          textDecoration: "none",
                          color: "var(--p-color-text)",
                          background: campaign.kind === "post" ? "var(--p-color-bg-fill-info-secondary)" : "var(--p-color-bg-fill-success-secondary)",
                          borderRadius: `${campaign.starts ? "6px" : "0"} ${campaign.ends ? "6px" : "0"} ${campaign.ends ? "6px" : "0"} ${campaign.starts ? "6px" : "0"}`,
                        }}
                      >
                        {campaign.starts || day.date.endsWith("-01") || week[0]?.date === day.date ? campaign.name : "\u00a0"}
                      </RemixLink>
                    ))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </BlockStack>
    </Card>
  );
}
