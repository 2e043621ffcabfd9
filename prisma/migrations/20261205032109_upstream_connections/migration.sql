-- CreateTable
CREATE TABLE "Connection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "clientSecretSealed" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "buttonLabel" TEXT NOT NULL,
    "autoCreate" BOOLEAN NOT NULL DEFAULT false,
    "domains" TEXT NOT NULL DEFAULT '',
    "trustUpstreamMfa" BOOLEAN NOT NULL DEFAULT false,
    "mfaAcr" TEXT,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "UpstreamIdentity" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "connectionId" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "email" TEXT,
    "createdAccount" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL,
    "lastUsedAt" DATETIME,
    CONSTRAINT "UpstreamIdentity_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "UpstreamIdentity_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "UpstreamAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "interactionUid" TEXT,
    "accountId" TEXT,
    "connectionId" TEXT NOT NULL,
    "bindingHash" TEXT NOT NULL,
    "codeVerifier" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "result" TEXT,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Connection_name_key" ON "Connection"("name");

-- CreateIndex
CREATE INDEX "UpstreamIdentity_accountId_idx" ON "UpstreamIdentity"("accountId");

-- CreateIndex
CREATE UNIQUE INDEX "UpstreamIdentity_connectionId_issuer_subject_key" ON "UpstreamIdentity"("connectionId", "issuer", "subject");

-- CreateIndex
CREATE INDEX "UpstreamAttempt_expiresAt_idx" ON "UpstreamAttempt"("expiresAt");
