-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AuditEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "accountId" TEXT,
    "email" TEXT,
    "clientId" TEXT,
    "ip" TEXT,
    "userAgent" TEXT,
    "detail" TEXT,
    "count" INTEGER NOT NULL DEFAULT 1,
    "lastAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "foldKey" TEXT
);
-- Existing events happened once: their last occurrence is their first.
INSERT INTO "new_AuditEvent" ("accountId", "at", "clientId", "detail", "email", "id", "ip", "outcome", "reason", "type", "userAgent", "lastAt") SELECT "accountId", "at", "clientId", "detail", "email", "id", "ip", "outcome", "reason", "type", "userAgent", "at" FROM "AuditEvent";
DROP TABLE "AuditEvent";
ALTER TABLE "new_AuditEvent" RENAME TO "AuditEvent";
CREATE UNIQUE INDEX "AuditEvent_foldKey_key" ON "AuditEvent"("foldKey");
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");
CREATE INDEX "AuditEvent_lastAt_idx" ON "AuditEvent"("lastAt");
CREATE INDEX "AuditEvent_accountId_at_idx" ON "AuditEvent"("accountId", "at");
CREATE INDEX "AuditEvent_email_at_idx" ON "AuditEvent"("email", "at");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
