-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Resource" (
    "identifier" TEXT NOT NULL PRIMARY KEY,
    "scopes" TEXT NOT NULL,
    "tokenFormat" TEXT NOT NULL,
    "accessTokenTtl" INTEGER NOT NULL,
    "clientId" TEXT NOT NULL,
    "rbac" BOOLEAN NOT NULL DEFAULT false,
    "tokenClaims" TEXT NOT NULL DEFAULT '',
    "dynamicClients" BOOLEAN NOT NULL DEFAULT false,
    "dynamicScopes" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "name" TEXT NOT NULL DEFAULT '',
    "scopeDescriptions" TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO "new_Resource" ("accessTokenTtl", "clientId", "createdAt", "dynamicClients", "dynamicScopes", "identifier", "rbac", "scopes", "tokenClaims", "tokenFormat") SELECT "accessTokenTtl", "clientId", "createdAt", "dynamicClients", "dynamicScopes", "identifier", "rbac", "scopes", "tokenClaims", "tokenFormat" FROM "Resource";
DROP TABLE "Resource";
ALTER TABLE "new_Resource" RENAME TO "Resource";
CREATE UNIQUE INDEX "Resource_clientId_key" ON "Resource"("clientId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
