-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "count" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "foldKey" TEXT,
ADD COLUMN     "lastAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Existing events happened once: their last occurrence is their first.
UPDATE "AuditEvent" SET "lastAt" = "at";

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_foldKey_key" ON "AuditEvent"("foldKey");

-- CreateIndex
CREATE INDEX "AuditEvent_lastAt_idx" ON "AuditEvent"("lastAt");
