import { channelShortName } from "../timeline/events";
import type { RejectionSpike } from "./rejection-spike";

/**
 * The dashboard's alerts: things a merchant should act on soon, worded with the action. Pure: the
 * service passes connections, spikes and `now`.
 */
export interface DashboardAlert {
  /** Stable per cause, so a dismissed or repeated alert is recognisable. */
  id: string;
  tone: "critical" | "warning" | "info";
  title: string;
  body: string;
  action?: { content: string; url: string };
}

export interface ConnectionFacts {
  channel: string;
  status: "connected" | "pending" | "reconnect";
  /** ISO instants. */
  accessExpiresAt: string | null;
  refreshExpiresAt: string | null;
  lastError: string | null;
}

export const TOKEN_WARNING_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

function formatDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone }).format(at);
}

/**
 * A connection the merchant must reconnect now, or whose authorisation ends within a week. A
 * TikTok access token renews itself while its refresh token lives, so the refresh token's expiry is
 * the one that matters; without one, the access token's.
 */
export function connectionAlerts(connections: readonly ConnectionFacts[], now: Date, timeZone: string): DashboardAlert[] {
  const alerts: DashboardAlert[] = [];
  const settings = { content: "Open Settings → Channels", url: "/app/settings" };
  for (const connection of connections) {
    const name = channelShortName(connection.channel);
    if (connection.status === "reconnect") {
      alerts.push({
        id: `reconnect-${connection.channel}`,
        tone: "critical",
        title: `Reconnect ${name}`,
        body: `${connection.lastError ?? `${name} refused the stored credentials.`} Nothing is published to ${name} until it is reconnected.`,
        action: settings,
      });
      continue;
    }
    if (connection.status !== "connected") continue;
    const expiry = connection.refreshExpiresAt ?? connection.accessExpiresAt;
    if (!expiry) continue;
    const expiresAt = new Date(expiry);
    const left = expiresAt.getTime() - now.getTime();
    if (left > TOKEN_WARNING_DAYS * DAY_MS) continue;
    alerts.push(
      left <= 0
        ? { id: `expired-${connection.channel}`, tone: "critical", title: `${name} authorisation has expired`, body: `It expired on ${formatDay(expiresAt, timeZone)}. Reconnect ${name} to keep publishing.`, action: settings }
        : {
            id: `expiring-${connection.channel}`,
            tone: "warning",
            title: `${name} authorisation expires ${left < DAY_MS ? "within a day" : `in ${Math.ceil(left / DAY_MS)} days`}`,
            body: `It expires on ${formatDay(expiresAt, timeZone)}. Reconnect ${name} before then so publishing does not stop.`,
            action: settings,
          },
    );
  }
  return alerts;
}

const NUMBER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

export function rejectionSpikeAlerts(spikes: readonly RejectionSpike[]): DashboardAlert[] {
  return spikes.map((spike) => {
    const name = channelShortName(spike.channel);
    return {
      id: `rejection-spike-${spike.channel}`,
      tone: "warning",
      title: `${name} rejected ${NUMBER.format(spike.today)} records today`,
      body: `${spike.trailingMean < 0.05 ? `It rejected none on the previous ${spike.trailingDays} days.` : `That is far above its usual ${NUMBER.format(spike.trailingMean)} a day over the previous ${spike.trailingDays} days.`} A recent change (a rule, a mapping, a product edit) may be the cause.`,
      action: { content: "See the issues", url: `/app/feed-issues?${new URLSearchParams({ channel: spike.channel })}` },
    };
  });
}
