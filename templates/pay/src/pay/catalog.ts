/**
 * What can be bought, and its price: edit this table. The price of an order comes from here, never from
 * the client (which only names a SKU and a quantity).
 */
export interface Product {
  /** What the payer sees on WeChat's payment sheet and bill (≤ 127 characters). */
  description: string;
  /** Price of one, in fen (分): 100 = ¥1.00. */
  priceFen: number;
  /** The most one order may hold. */
  maxQuantity: number;
}

export const CATALOG: Readonly<Record<string, Product>> = {
  sample: { description: 'Sample item', priceFen: 1, maxQuantity: 10 },
};

/** The product of a SKU, or undefined; only the catalog's own keys count (no `toString` from the prototype). */
export function productOf(sku: string): Product | undefined {
  return Object.hasOwn(CATALOG, sku) ? CATALOG[sku] : undefined;
}
