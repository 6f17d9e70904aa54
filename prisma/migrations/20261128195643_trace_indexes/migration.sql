-- CreateIndex
CREATE INDEX "OrderStatusChange_correlationId_idx" ON "orders"."OrderStatusChange"("correlationId");

-- CreateIndex
CREATE INDEX "EventLog_correlationId_idx" ON "platform"."EventLog"("correlationId");
