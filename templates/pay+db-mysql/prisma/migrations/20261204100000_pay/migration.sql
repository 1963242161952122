-- CreateTable
CREATE TABLE `PayOrder` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `outTradeNo` VARCHAR(191) NOT NULL,
    `userId` CHAR(36) NOT NULL,
    `openid` VARCHAR(191) NOT NULL,
    `sku` VARCHAR(191) NOT NULL,
    `quantity` INTEGER NOT NULL,
    `amount` INTEGER NOT NULL,
    `description` VARCHAR(191) NOT NULL,
    `state` VARCHAR(191) NOT NULL,
    `prepayId` VARCHAR(191) NULL,
    `transactionId` VARCHAR(191) NULL,
    `expiresAt` DATETIME(3) NOT NULL,
    `paidAt` DATETIME(3) NULL,
    `refunded` INTEGER NOT NULL DEFAULT 0,
    `refundReserved` INTEGER NOT NULL DEFAULT 0,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `updatedAt` DATETIME(3) NOT NULL,

    UNIQUE INDEX `PayOrder_outTradeNo_key`(`outTradeNo`),
    INDEX `PayOrder_userId_idx`(`userId`),
    INDEX `PayOrder_state_expiresAt_idx`(`state`, `expiresAt`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `PayRefund` (
    `outRefundNo` VARCHAR(191) NOT NULL,
    `outTradeNo` VARCHAR(191) NOT NULL,
    `amount` INTEGER NOT NULL,
    `state` VARCHAR(191) NOT NULL,
    `refundId` VARCHAR(191) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `settledAt` DATETIME(3) NULL,

    INDEX `PayRefund_outTradeNo_idx`(`outTradeNo`),
    PRIMARY KEY (`outRefundNo`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
