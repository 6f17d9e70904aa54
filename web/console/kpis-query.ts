// What the KPI panel asks for: one window's KPIs (tiles) and a series of windows (charts). The
// series selects only counts and rates, since every bucket is a window the subgraphs compute.
export const KPIS_QUERY = /* GraphQL */ `
  query ConsoleKpis($from: DateTime!, $to: DateTime!, $seriesFrom: DateTime!, $interval: KpiInterval!) {
    kpis(from: $from, to: $to) {
      ordersReceived
      shipmentsShipped
      orderProcessingLatency {
        toAccepted {
          count
          p50Seconds
          p95Seconds
        }
        toAllocated {
          count
          p50Seconds
          p95Seconds
        }
      }
      fulfillmentConfirmationTime {
        count
        p50Seconds
        p95Seconds
      }
      deliveryTime {
        count
        p50Seconds
        p95Seconds
      }
      fillRate {
        orders
        unitsOrdered
        unitsShipped
        rate
      }
      perfectOrderRate {
        orders
        perfect
        rate
      }
      invoicePostingAccuracy {
        invoices
        posted
        failed
        pending
        rate
      }
      inventoryFreshness {
        positions
        p50AgeSeconds
        p95AgeSeconds
        staleCount
        staleAfterSeconds
      }
      exceptions {
        opened
        open
        resolved
        resolutionTime {
          count
          p50Seconds
        }
      }
    }
    kpiSeries(from: $seriesFrom, to: $to, interval: $interval) {
      from
      ordersReceived
      shipmentsShipped
      exceptions {
        opened
      }
      fillRate {
        rate
      }
      perfectOrderRate {
        rate
      }
    }
  }
`;

export interface Stats {
  count: number;
  p50Seconds: number | null;
  p95Seconds: number | null;
}

export interface KpisResult {
  kpis: {
    ordersReceived: number;
    shipmentsShipped: number;
    orderProcessingLatency: { toAccepted: Stats; toAllocated: Stats };
    fulfillmentConfirmationTime: Stats;
    deliveryTime: Stats;
    fillRate: { orders: number; unitsOrdered: number; unitsShipped: number; rate: number | null };
    perfectOrderRate: { orders: number; perfect: number; rate: number | null };
    invoicePostingAccuracy: { invoices: number; posted: number; failed: number; pending: number; rate: number | null };
    inventoryFreshness: { positions: number; p50AgeSeconds: number | null; p95AgeSeconds: number | null; staleCount: number; staleAfterSeconds: number };
    exceptions: { opened: number; open: number; resolved: number; resolutionTime: { count: number; p50Seconds: number | null } };
  };
  kpiSeries: {
    from: string;
    ordersReceived: number;
    shipmentsShipped: number;
    exceptions: { opened: number };
    fillRate: { rate: number | null };
    perfectOrderRate: { rate: number | null };
  }[];
}
