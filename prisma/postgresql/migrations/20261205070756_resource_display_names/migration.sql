-- AlterTable
ALTER TABLE "Resource" ADD COLUMN     "name" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "scopeDescriptions" TEXT NOT NULL DEFAULT '{}';
