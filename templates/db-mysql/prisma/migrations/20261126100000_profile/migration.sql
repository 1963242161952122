-- AlterTable
ALTER TABLE `User` ADD COLUMN `avatarPending` VARCHAR(1024) NULL,
    ADD COLUMN `nicknamePending` VARCHAR(191) NULL,
    ADD COLUMN `phoneCountryCode` VARCHAR(191) NULL,
    ADD COLUMN `phoneLookupDay` VARCHAR(191) NULL,
    ADD COLUMN `phoneLookups` INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN `phonePure` VARCHAR(191) NULL,
    ADD COLUMN `phoneVerifiedAt` DATETIME(3) NULL;

-- CreateTable
CREATE TABLE `MediaCheck` (
    `traceId` VARCHAR(191) NOT NULL,
    `userId` CHAR(36) NOT NULL,
    `purpose` VARCHAR(191) NOT NULL,
    `fileName` VARCHAR(191) NOT NULL,
    `verdict` VARCHAR(191) NULL,
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `decidedAt` DATETIME(3) NULL,

    INDEX `MediaCheck_userId_idx`(`userId`),
    PRIMARY KEY (`traceId`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- CreateTable
CREATE TABLE `PushReceipt` (
    `id` VARCHAR(191) NOT NULL,
    `event` VARCHAR(191) NOT NULL,
    `receivedAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),

    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- AddForeignKey
ALTER TABLE `MediaCheck` ADD CONSTRAINT `MediaCheck_userId_fkey` FOREIGN KEY (`userId`) REFERENCES `User`(`id`) ON DELETE CASCADE ON UPDATE CASCADE;
