-- CreateTable
CREATE TABLE "PayOrder" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "outTradeNo" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "openid" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "amount" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "prepayId" TEXT,
    "transactionId" TEXT,
    "expiresAt" DATETIME NOT NULL,
    "paidAt" DATETIME,
    "refunded" INTEGER NOT NULL DEFAULT 0,
    "refundReserved" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "PayRefund" (
    "outRefundNo" TEXT NOT NULL PRIMARY KEY,
    "outTradeNo" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "refundId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settledAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "PayOrder_outTradeNo_key" ON "PayOrder"("outTradeNo");

-- CreateIndex
CREATE INDEX "PayOrder_userId_idx" ON "PayOrder"("userId");

-- CreateIndex
CREATE INDEX "PayOrder_state_expiresAt_idx" ON "PayOrder"("state", "expiresAt");

-- CreateIndex
CREATE INDEX "PayRefund_outTradeNo_idx" ON "PayRefund"("outTradeNo");
