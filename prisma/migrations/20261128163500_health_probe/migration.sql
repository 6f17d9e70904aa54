-- CreateTable
CREATE TABLE "platform"."HealthProbe" (
    "process" TEXT NOT NULL,
    "checkedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "HealthProbe_pkey" PRIMARY KEY ("process")
);
