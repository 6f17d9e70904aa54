// GS1 identifiers (GTIN, GLN, SSCC), normalised the same way wherever they enter: GTIN-8/12/13
// are left-padded to GTIN-14 for matching. A wrong check digit is reported as a warning, never
// silently passed and never a rejection: partners do send them, and the item may still match.

/** Mod-10 check digit of a GS1 number given without its check digit. */
export function gs1CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

export const hasValidCheckDigit = (code: string) => /^\d+$/.test(code) && code.length > 1 && gs1CheckDigit(code.slice(0, -1)) === Number(code.at(-1));

export interface Normalised {
  /** The value to store and match on. */
  value: string;
  /** What is doubtful about it (a wrong check digit), for the message or mutation that carried it. */
  warnings: string[];
}

export class Gs1FormatError extends Error {}

const GTIN_LENGTHS = new Set([8, 12, 13, 14]);

/** GTIN-8/12/13/14 -> GTIN-14. Throws Gs1FormatError when it is not a GTIN at all. */
export function normalizeGtin(input: string): Normalised {
  const digits = input.trim();
  if (!/^\d+$/.test(digits) || !GTIN_LENGTHS.has(digits.length)) throw new Gs1FormatError(`GTIN "${input}" must be 8, 12, 13 or 14 digits`);
  const value = digits.padStart(14, "0");
  return { value, warnings: hasValidCheckDigit(value) ? [] : [`GTIN ${value} has a wrong check digit (expected ${gs1CheckDigit(value.slice(0, -1))})`] };
}

/** GLN: 13 digits. */
export function normalizeGln(input: string): Normalised {
  const value = input.trim();
  if (!/^\d{13}$/.test(value)) throw new Gs1FormatError(`GLN "${input}" must be 13 digits`);
  return { value, warnings: hasValidCheckDigit(value) ? [] : [`GLN ${value} has a wrong check digit (expected ${gs1CheckDigit(value.slice(0, -1))})`] };
}

/** SSCC: 18 digits (an application identifier "00" in front is dropped). */
export function normalizeSscc(input: string): Normalised {
  let value = input.trim();
  if (/^00\d{18}$/.test(value)) value = value.slice(2);
  if (!/^\d{18}$/.test(value)) throw new Gs1FormatError(`SSCC "${input}" must be 18 digits`);
  return { value, warnings: hasValidCheckDigit(value) ? [] : [`SSCC ${value} has a wrong check digit (expected ${gs1CheckDigit(value.slice(0, -1))})`] };
}
