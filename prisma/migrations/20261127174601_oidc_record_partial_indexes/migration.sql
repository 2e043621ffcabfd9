-- DropIndex
DROP INDEX "OidcRecord_model_grantId_idx";

-- DropIndex
DROP INDEX "OidcRecord_model_uid_idx";

-- DropIndex
DROP INDEX "OidcRecord_model_userCode_idx";

-- DropIndex
DROP INDEX "OidcRecord_model_accountId_idx";

-- CreateIndex
CREATE INDEX "OidcRecord_model_grantId_idx" ON "OidcRecord"("model", "grantId") WHERE "grantId" IS NOT NULL;

-- CreateIndex
CREATE INDEX "OidcRecord_model_uid_idx" ON "OidcRecord"("model", "uid") WHERE "uid" IS NOT NULL;

-- CreateIndex
CREATE INDEX "OidcRecord_model_userCode_idx" ON "OidcRecord"("model", "userCode") WHERE "userCode" IS NOT NULL;

-- CreateIndex
CREATE INDEX "OidcRecord_model_accountId_idx" ON "OidcRecord"("model", "accountId") WHERE "accountId" IS NOT NULL;
