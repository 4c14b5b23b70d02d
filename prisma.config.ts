// Prisma 7 reads the datasource URL from here. The app itself never uses the CLI's migrate
// commands (they need a binary download this machine cannot make); see docs/decisions/0003.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/shelfcast" },
});
