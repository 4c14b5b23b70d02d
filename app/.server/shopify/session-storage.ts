import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import type { PrismaClient } from "~/generated/prisma/client";

/**
 * Shopify session storage on our own Prisma client. We keep it ourselves (five methods) rather
 * than @shopify/shopify-app-session-storage-prisma because that package requires Prisma 6's
 * legacy generator writing into node_modules (docs/decisions/0005-own-session-storage.md).
 */
export class PrismaSessionStorage implements SessionStorage {
  constructor(private readonly prisma: () => Promise<PrismaClient>) {}

  async storeSession(session: Session): Promise<boolean> {
    const row = toRow(session);
    const prisma = await this.prisma();
    await prisma.session.upsert({ where: { id: session.id }, create: row, update: row });
    return true;
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const prisma = await this.prisma();
    const row = await prisma.session.findUnique({ where: { id } });
    return row ? fromRow(row) : undefined;
  }

  async deleteSession(id: string): Promise<boolean> {
    const prisma = await this.prisma();
    await prisma.session.deleteMany({ where: { id } });
    return true;
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    const prisma = await this.prisma();
    await prisma.session.deleteMany({ where: { id: { in: ids } } });
    return true;
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    const prisma = await this.prisma();
    const rows = await prisma.session.findMany({ where: { shop }, take: 25, orderBy: { expires: "desc" } });
    return rows.map(fromRow);
  }
}

type SessionRow = Awaited<ReturnType<PrismaClient["session"]["findUniqueOrThrow"]>>;

function toRow(session: Session): SessionRow {
  const user = session.onlineAccessInfo?.associated_user;
  return {
    id: session.id,
    shop: session.shop,
    state: session.state,
    isOnline: session.isOnline,
    scope: session.scope ?? null,
    expires: session.expires ?? null,
    accessToken: session.accessToken ?? "",
    userId: user?.id !== undefined ? BigInt(user.id) : null,
    firstName: user?.first_name ?? null,
    lastName: user?.last_name ?? null,
    email: user?.email ?? null,
    accountOwner: user?.account_owner ?? false,
    locale: user?.locale ?? null,
    collaborator: user?.collaborator ?? false,
    emailVerified: user?.email_verified ?? false,
    refreshToken: session.refreshToken ?? null,
    refreshTokenExpires: session.refreshTokenExpires ?? null,
  };
}

function fromRow(row: SessionRow): Session {
  const session = new Session({
    id: row.id,
    shop: row.shop,
    state: row.state,
    isOnline: row.isOnline,
    scope: row.scope ?? undefined,
    expires: row.expires ?? undefined,
    accessToken: row.accessToken,
    refreshToken: row.refreshToken ?? undefined,
    refreshTokenExpires: row.refreshTokenExpires ?? undefined,
  });
  if (row.userId !== null) {
    session.onlineAccessInfo = {
      expires_in: 0,
      associated_user_scope: row.scope ?? "",
      associated_user: {
        id: Number(row.userId),
        first_name: row.firstName ?? "",
        last_name: row.lastName ?? "",
        email: row.email ?? "",
        account_owner: row.accountOwner,
        locale: row.locale ?? "",
        collaborator: row.collaborator ?? false,
        email_verified: row.emailVerified ?? false,
      },
    };
  }
  return session;
}
