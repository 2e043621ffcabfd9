-- AlterTable
ALTER TABLE "TotpFactor" ADD COLUMN     "binding" TEXT;
