-- DropIndex
DROP INDEX "AuditEvent_lastAt_idx";

-- CreateIndex
CREATE INDEX "AuditEvent_lastAt_id_idx" ON "AuditEvent"("lastAt", "id");

-- CreateIndex
CREATE INDEX "AuditEvent_type_lastAt_idx" ON "AuditEvent"("type", "lastAt");

-- CreateIndex
CREATE INDEX "AuditEvent_clientId_lastAt_idx" ON "AuditEvent"("clientId", "lastAt");
