-- CreateTable
CREATE TABLE "Connection" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Connection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UpstreamIdentity" (
    "id" TEXT NOT NULL,
    "connectionId" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "email" TEXT,
    "createdAccount" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "lastUsedAt" TIMESTAMP(3),

    CONSTRAINT "UpstreamIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UpstreamAttempt" (
    "id" TEXT NOT NULL,
    "interactionUid" TEXT,
    "accountId" TEXT,
    "connectionId" TEXT NOT NULL,
    "bindingHash" TEXT NOT NULL,
    "codeVerifier" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "result" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "UpstreamAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Connection_name_key" ON "Connection"("name");

-- CreateIndex
CREATE INDEX "UpstreamIdentity_accountId_idx" ON "UpstreamIdentity"("accountId");

-- CreateIndex
CREATE UNIQUE INDEX "UpstreamIdentity_connectionId_issuer_subject_key" ON "UpstreamIdentity"("connectionId", "issuer", "subject");

-- CreateIndex
CREATE INDEX "UpstreamAttempt_expiresAt_idx" ON "UpstreamAttempt"("expiresAt");

-- AddForeignKey
ALTER TABLE "UpstreamIdentity" ADD CONSTRAINT "UpstreamIdentity_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "Connection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "UpstreamIdentity" ADD CONSTRAINT "UpstreamIdentity_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
