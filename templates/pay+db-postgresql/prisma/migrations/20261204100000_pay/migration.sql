-- CreateTable
CREATE TABLE "PayOrder" (
    "id" SERIAL NOT NULL,
    "outTradeNo" TEXT NOT NULL,
    "userId" UUID NOT NULL,
    "openid" TEXT NOT NULL,
    "sku" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "amount" INTEGER NOT NULL,
    "description" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "prepayId" TEXT,
    "transactionId" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "paidAt" TIMESTAMP(3),
    "refunded" INTEGER NOT NULL DEFAULT 0,
    "refundReserved" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PayOrder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PayRefund" (
    "outRefundNo" TEXT NOT NULL,
    "outTradeNo" TEXT NOT NULL,
    "amount" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "refundId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settledAt" TIMESTAMP(3),

    CONSTRAINT "PayRefund_pkey" PRIMARY KEY ("outRefundNo")
);

-- CreateIndex
CREATE UNIQUE INDEX "PayOrder_outTradeNo_key" ON "PayOrder"("outTradeNo");

-- CreateIndex
CREATE INDEX "PayOrder_userId_idx" ON "PayOrder"("userId");

-- CreateIndex
CREATE INDEX "PayOrder_state_expiresAt_idx" ON "PayOrder"("state", "expiresAt");

-- CreateIndex
CREATE INDEX "PayRefund_outTradeNo_idx" ON "PayRefund"("outTradeNo");
