-- AlterTable
ALTER TABLE "User" ADD COLUMN     "avatarPending" TEXT,
ADD COLUMN     "nicknamePending" TEXT,
ADD COLUMN     "phoneCountryCode" TEXT,
ADD COLUMN     "phoneLookupDay" TEXT,
ADD COLUMN     "phoneLookups" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "phonePure" TEXT,
ADD COLUMN     "phoneVerifiedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "MediaCheck" (
    "traceId" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "verdict" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedAt" TIMESTAMP(3),

    CONSTRAINT "MediaCheck_pkey" PRIMARY KEY ("traceId")
);

-- CreateTable
CREATE TABLE "PushReceipt" (
    "id" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PushReceipt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MediaCheck_userId_idx" ON "MediaCheck"("userId");

-- AddForeignKey
ALTER TABLE "MediaCheck" ADD CONSTRAINT "MediaCheck_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
