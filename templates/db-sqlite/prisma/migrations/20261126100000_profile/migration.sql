-- AlterTable
ALTER TABLE "User" ADD COLUMN "avatarPending" TEXT;
ALTER TABLE "User" ADD COLUMN "nicknamePending" TEXT;
ALTER TABLE "User" ADD COLUMN "phoneCountryCode" TEXT;
ALTER TABLE "User" ADD COLUMN "phoneLookupDay" TEXT;
ALTER TABLE "User" ADD COLUMN "phoneLookups" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "User" ADD COLUMN "phonePure" TEXT;
ALTER TABLE "User" ADD COLUMN "phoneVerifiedAt" DATETIME;

-- CreateTable
CREATE TABLE "MediaCheck" (
    "traceId" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "verdict" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" DATETIME,
    CONSTRAINT "MediaCheck_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "PushReceipt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "event" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "MediaCheck_userId_idx" ON "MediaCheck"("userId");
