export interface GatewayContext {
  correlationId: string;
}
