// GS1 mod-10 check digits for the identifiers the demo data carries: GTIN-14, GLN (13 digits) and
// SSCC-18. Weights 3,1,3,1… from the rightmost digit of the body.

export function gs1CheckDigit(body: string): number {
  if (!/^\d+$/.test(body)) throw new Error(`GS1 body must be digits, got "${body}"`);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** Body plus its check digit. */
export const withCheckDigit = (body: string): string => body + gs1CheckDigit(body);

/** True when `code` is all digits, `length` long, and ends in the right check digit. */
export const isValidGs1 = (code: string, length: number): boolean =>
  code.length === length && /^\d+$/.test(code) && gs1CheckDigit(code.slice(0, -1)) === Number(code[code.length - 1]);

/** Our GS1 company prefix (the GS1 US example prefix). */
export const COMPANY_PREFIX = "0614141";

/** GTIN-14: indicator digit, company prefix, item reference, check digit. */
export function makeGtin14(indicator: number, companyPrefix: string, itemReference: number): string {
  const body = `${indicator}${companyPrefix}${String(itemReference).padStart(12 - companyPrefix.length, "0")}`;
  if (body.length !== 13) throw new Error(`GTIN-14 body must be 13 digits, got ${body.length}`);
  return withCheckDigit(body);
}

/** GLN: company prefix, location reference, check digit (13 digits). */
export function makeGln(companyPrefix: string, locationReference: number): string {
  const body = `${companyPrefix}${String(locationReference).padStart(12 - companyPrefix.length, "0")}`;
  if (body.length !== 12) throw new Error(`GLN body must be 12 digits, got ${body.length}`);
  return withCheckDigit(body);
}

/** SSCC-18: extension digit, company prefix, serial reference, check digit. */
export function makeSscc(extension: number, companyPrefix: string, serial: number): string {
  const body = `${extension}${companyPrefix}${String(serial).padStart(16 - companyPrefix.length, "0")}`;
  if (body.length !== 17) throw new Error(`SSCC body must be 17 digits, got ${body.length}`);
  return withCheckDigit(body);
}
