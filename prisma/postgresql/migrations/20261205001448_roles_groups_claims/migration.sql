-- AlterTable
ALTER TABLE "Account" ADD COLUMN     "birthdate" TEXT,
ADD COLUMN     "familyName" TEXT,
ADD COLUMN     "gender" TEXT,
ADD COLUMN     "givenName" TEXT,
ADD COLUMN     "locale" TEXT,
ADD COLUMN     "middleName" TEXT,
ADD COLUMN     "nickname" TEXT,
ADD COLUMN     "phoneNumber" TEXT,
ADD COLUMN     "phoneNumberVerified" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "picture" TEXT,
ADD COLUMN     "preferredUsername" TEXT,
ADD COLUMN     "profile" TEXT,
ADD COLUMN     "website" TEXT,
ADD COLUMN     "zoneinfo" TEXT;

-- AlterTable
ALTER TABLE "Resource" ADD COLUMN     "rbac" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "tokenClaims" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "Role" (
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "builtIn" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Role_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "RolePermission" (
    "roleName" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "scope" TEXT NOT NULL,

    CONSTRAINT "RolePermission_pkey" PRIMARY KEY ("roleName","resourceId","scope")
);

-- CreateTable
CREATE TABLE "AccountRole" (
    "accountId" TEXT NOT NULL,
    "roleName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccountRole_pkey" PRIMARY KEY ("accountId","roleName")
);

-- CreateTable
CREATE TABLE "Group" (
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Group_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "AccountGroup" (
    "accountId" TEXT NOT NULL,
    "groupName" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccountGroup_pkey" PRIMARY KEY ("accountId","groupName")
);

-- CreateTable
CREATE TABLE "AttributeDefinition" (
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "pattern" TEXT,
    "allowed" TEXT,
    "selfEditable" BOOLEAN NOT NULL DEFAULT false,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AttributeDefinition_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "AccountAttribute" (
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AccountAttribute_pkey" PRIMARY KEY ("accountId","name")
);

-- CreateTable
CREATE TABLE "ClaimScope" (
    "name" TEXT NOT NULL,
    "claims" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClaimScope_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "RolePermission_resourceId_idx" ON "RolePermission"("resourceId");

-- CreateIndex
CREATE INDEX "AccountRole_roleName_idx" ON "AccountRole"("roleName");

-- CreateIndex
CREATE INDEX "AccountGroup_groupName_idx" ON "AccountGroup"("groupName");

-- CreateIndex
CREATE INDEX "AccountAttribute_name_idx" ON "AccountAttribute"("name");

-- AddForeignKey
ALTER TABLE "RolePermission" ADD CONSTRAINT "RolePermission_roleName_fkey" FOREIGN KEY ("roleName") REFERENCES "Role"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RolePermission" ADD CONSTRAINT "RolePermission_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "Resource"("identifier") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccountRole" ADD CONSTRAINT "AccountRole_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccountRole" ADD CONSTRAINT "AccountRole_roleName_fkey" FOREIGN KEY ("roleName") REFERENCES "Role"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccountGroup" ADD CONSTRAINT "AccountGroup_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccountGroup" ADD CONSTRAINT "AccountGroup_groupName_fkey" FOREIGN KEY ("groupName") REFERENCES "Group"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccountAttribute" ADD CONSTRAINT "AccountAttribute_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "Account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccountAttribute" ADD CONSTRAINT "AccountAttribute_name_fkey" FOREIGN KEY ("name") REFERENCES "AttributeDefinition"("name") ON DELETE CASCADE ON UPDATE CASCADE;

-- The built-in role: exists from the first start, cannot be removed (src/directory).
INSERT INTO "Role" ("name", "description", "builtIn") VALUES ('admin', 'Administers Gatehouse (the admin console and management API).', true);
