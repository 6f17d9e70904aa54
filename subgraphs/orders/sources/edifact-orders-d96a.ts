// The segment table of the UN/EDIFACT ORDERS message, directory D.96A (UNTDID), in the format of
// the edifact package's Tracker: { content, mandatory, repetition }, groups nested. The package
// ships a table of a later directory; this one follows D.96A, so a D.96A message is checked
// against the structure it was written to (segment order, mandatory segments, repetitions).
interface Entry {
  content: string | Entry[];
  mandatory: boolean;
  repetition: number;
}

const s = (content: string, mandatory: boolean, repetition: number): Entry => ({ content, mandatory, repetition });
const g = (repetition: number, ...content: Entry[]): Entry => ({ content, mandatory: false, repetition });
const M = true;
const C = false;

/** RFF-DTM, DOC-DTM, CTA-COM, QTY-RNG... : a trigger segment and its companions. */
const pair = (repetition: number, head: string, ...rest: [string, number][]) => g(repetition, s(head, M, 1), ...rest.map(([t, r]) => s(t, C, r)));

const allowanceCharge = (repetition: number) =>
  g(
    repetition,
    s("ALC", M, 1),
    s("ALI", C, 5),
    s("DTM", C, 5),
    pair(1, "QTY", ["RNG", 1]),
    pair(1, "PCD", ["RNG", 1]),
    pair(2, "MOA", ["RNG", 1]),
    pair(1, "RTE", ["RNG", 1]),
    pair(5, "TAX", ["MOA", 1]),
  );

export const ORDERS_D96A: Entry[] = [
  s("UNH", M, 1),
  s("BGM", M, 1),
  s("DTM", M, 35),
  s("PAI", C, 1),
  s("ALI", C, 5),
  s("IMD", C, 1),
  s("FTX", C, 99),
  pair(10, "RFF", ["DTM", 5]), // SG1
  g(99, s("NAD", M, 1), s("LOC", C, 99), s("FII", C, 5), pair(10, "RFF", ["DTM", 5]), pair(5, "DOC", ["DTM", 5]), pair(5, "CTA", ["COM", 5])), // SG2-5
  pair(5, "TAX", ["MOA", 1], ["LOC", 5]), // SG6
  pair(5, "CUX", ["PCD", 5], ["DTM", 5]), // SG7
  pair(10, "PAT", ["DTM", 5], ["PCD", 1], ["MOA", 1]), // SG8
  g(10, s("TDT", M, 1), pair(10, "LOC", ["DTM", 5])), // SG9-10
  pair(5, "TOD", ["LOC", 2]), // SG11
  g(99, s("PAC", M, 1), s("MEA", C, 5), pair(5, "PCI", ["RFF", 1], ["DTM", 5], ["GIN", 10])), // SG12-13
  pair(10, "EQD", ["HAN", 5], ["MEA", 5], ["FTX", 5]), // SG14
  g(10, s("SCC", M, 1), s("FTX", C, 5), s("RFF", C, 5), pair(10, "QTY", ["DTM", 5])), // SG15-16
  pair(25, "APR", ["DTM", 5], ["RNG", 1]), // SG17
  allowanceCharge(15), // SG18-23
  pair(10, "RCS", ["RFF", 5], ["DTM", 5], ["FTX", 99]), // SG24
  g(
    200000, // SG25: the line items
    s("LIN", M, 1),
    s("PIA", C, 25),
    s("IMD", C, 99),
    s("MEA", C, 99),
    s("QTY", C, 99),
    s("PCD", C, 5),
    s("ALI", C, 5),
    s("DTM", C, 35),
    s("MOA", C, 10),
    s("GIN", C, 127),
    s("QVR", C, 1),
    s("FTX", C, 99),
    pair(999, "CCI", ["CAV", 10], ["MEA", 10]), // SG26
    pair(10, "PAT", ["DTM", 5], ["PCD", 1], ["MOA", 1]), // SG27
    pair(25, "PRI", ["CUX", 1], ["APR", 1], ["RNG", 1], ["DTM", 5]), // SG28
    pair(10, "RFF", ["DTM", 5]), // SG29
    g(10, s("PAC", M, 1), s("MEA", C, 5), s("QTY", C, 5), s("DTM", C, 5), pair(1, "RFF", ["DTM", 5]), pair(5, "PCI", ["RFF", 1], ["DTM", 5], ["GIN", 10])), // SG30-32
    pair(9999, "LOC", ["QTY", 1], ["DTM", 5]), // SG33: split deliveries
    pair(10, "TAX", ["MOA", 1], ["LOC", 5]), // SG34
    g(999, s("NAD", M, 1), s("LOC", C, 5), pair(5, "RFF", ["DTM", 5]), pair(5, "DOC", ["DTM", 5]), pair(5, "CTA", ["COM", 5])), // SG35-38
    allowanceCharge(99), // SG39-44
    g(10, s("TDT", M, 1), pair(10, "LOC", ["DTM", 5])), // SG45-46
    pair(5, "TOD", ["LOC", 2]), // SG47
    pair(10, "EQD", ["HAN", 5], ["MEA", 5], ["FTX", 5]), // SG48
    g(100, s("SCC", M, 1), s("FTX", C, 5), s("RFF", C, 5), pair(10, "QTY", ["DTM", 5])), // SG49-50
    pair(10, "RCS", ["RFF", 5], ["DTM", 5], ["FTX", 99]), // SG51
    g(100, s("STG", M, 1), pair(3, "QTY", ["MOA", 1])), // SG52-53
  ),
  s("UNS", M, 1),
  s("MOA", C, 1),
  s("CNT", C, 10),
  pair(10, "ALC", ["ALI", 1], ["MOA", 2]), // SG54
  s("UNT", M, 1),
];
