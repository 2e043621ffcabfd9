-- CreateIndex
CREATE INDEX "WebAuthnChallenge_binding_purpose_idx" ON "WebAuthnChallenge"("binding", "purpose");
