-- AlterTable
ALTER TABLE "Resource" ADD COLUMN     "dynamicClients" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "dynamicScopes" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "DynamicClientUse" (
    "clientId" TEXT NOT NULL,
    "registeredAt" TIMESTAMP(3) NOT NULL,
    "lastTokenAt" TIMESTAMP(3),

    CONSTRAINT "DynamicClientUse_pkey" PRIMARY KEY ("clientId")
);
