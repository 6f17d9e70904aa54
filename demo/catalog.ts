// Word lists the demo generator combines into products, customers and addresses. Data only.

export interface ItemTemplate {
  noun: string;
  category: string;
  adjectives: readonly string[];
  /** Sizes, smallest first; price and weight grow with the size index. */
  sizes: readonly string[];
  /** Each per case (CS). */
  caseFactors: readonly number[];
  /** Weight of one each (EA) of the smallest size, kg. */
  eachKg: number;
  /** List price range of one each of the smallest size, USD. */
  price: readonly [number, number];
}

export const BRANDS: Record<string, readonly string[]> = {
  Janitorial: ["CleanCore", "Brightwell", "ProLine Janitorial", "EcoShine"],
  Packaging: ["PackRight", "SealMaster", "BoxWorks", "FlexWrap"],
  Industrial: ["Ironclad", "TorqueLine", "ShopMax"],
  Safety: ["ShieldPro", "SafeGuard Plus", "VisiGear"],
  Breakroom: ["CupCo", "FreshServe"],
};

export const ITEM_TEMPLATES: readonly ItemTemplate[] = [
  // Janitorial
  { noun: "Trash Can Liner", category: "Janitorial", adjectives: ["Heavy-Duty", "Low-Density", "High-Density", "Recycled-Content"], sizes: ["33 Gal, Roll of 25", "45 Gal, Roll of 25", "56 Gal, Roll of 20", "60 Gal, Roll of 20"], caseFactors: [6, 12], eachKg: 0.9, price: [3.2, 6.5] },
  { noun: "Paper Towel Roll", category: "Janitorial", adjectives: ["Hardwound", "Recycled", "Premium White", "Natural Kraft"], sizes: ["8 in x 600 ft", "8 in x 800 ft", "10 in x 800 ft"], caseFactors: [6, 12], eachKg: 1.4, price: [4.1, 7.9] },
  { noun: "Bath Tissue", category: "Janitorial", adjectives: ["Standard", "Premium", "Recycled", "Septic-Safe"], sizes: ["2-Ply, 500 Sheets", "1-Ply, 1000 Sheets", "Jumbo Roll, 9 in"], caseFactors: [12, 24], eachKg: 0.25, price: [0.62, 1.45] },
  { noun: "Glass Cleaner", category: "Janitorial", adjectives: ["Ammonia-Free", "Streak-Free", "Concentrated", "Green Seal Certified"], sizes: ["32 oz Spray", "1 Gal", "2.5 Gal"], caseFactors: [6, 12], eachKg: 1.0, price: [3.1, 5.4] },
  { noun: "Floor Finish", category: "Janitorial", adjectives: ["High-Gloss", "Low-Maintenance", "Slip-Resistant", "UHS Burnish"], sizes: ["1 Gal", "2.5 Gal", "5 Gal Pail"], caseFactors: [6], eachKg: 4.2, price: [18.5, 29.0] },
  { noun: "Hand Soap Refill", category: "Janitorial", adjectives: ["Foaming", "Antibacterial", "Fragrance-Free", "Moisturizing"], sizes: ["800 mL", "1000 mL", "1200 mL"], caseFactors: [6, 12], eachKg: 0.9, price: [6.8, 11.2] },
  { noun: "Disinfectant Cleaner", category: "Janitorial", adjectives: ["Quaternary", "Hospital-Grade", "Citrus", "Neutral pH"], sizes: ["32 oz", "1 Gal", "2 L Dilution Pack"], caseFactors: [6, 12], eachKg: 1.1, price: [4.4, 9.9] },
  { noun: "Microfiber Cloth", category: "Janitorial", adjectives: ["General Purpose", "Glass & Polish", "Color-Coded", "Heavy-Duty"], sizes: ["12 x 12 in", "16 x 16 in", "16 x 24 in"], caseFactors: [12, 24], eachKg: 0.04, price: [0.79, 1.85] },
  { noun: "Wet Mop Head", category: "Janitorial", adjectives: ["Cotton Loop-End", "Blended", "Rayon", "Looped Microfiber"], sizes: ["16 oz", "20 oz", "24 oz"], caseFactors: [6, 12], eachKg: 0.5, price: [5.2, 9.6] },
  { noun: "Urinal Screen", category: "Janitorial", adjectives: ["Deodorizing", "Enzyme", "Splash-Guard"], sizes: ["Cucumber Melon", "Mango", "Cotton Blossom"], caseFactors: [12, 24], eachKg: 0.08, price: [1.95, 3.6] },
  // Packaging
  { noun: "Stretch Film", category: "Packaging", adjectives: ["Cast", "Blown", "Pre-Stretched", "Hand"], sizes: ["18 in x 1500 ft, 80 Gauge", "20 in x 1000 ft, 70 Gauge", "18 in x 2000 ft, 63 Gauge"], caseFactors: [6], eachKg: 2.2, price: [11.9, 22.5] },
  { noun: "Packing Tape", category: "Packaging", adjectives: ["Clear", "Tan", "Heavy-Duty", "Hot Melt"], sizes: ["2 in x 55 yd", "2 in x 110 yd", "3 in x 110 yd"], caseFactors: [24], eachKg: 0.18, price: [1.19, 2.95] },
  { noun: "Corrugated Box", category: "Packaging", adjectives: ["Single-Wall", "Double-Wall", "Kraft", "Multi-Depth"], sizes: ["10 x 8 x 6 in", "12 x 12 x 12 in", "18 x 12 x 12 in", "24 x 18 x 18 in"], caseFactors: [24], eachKg: 0.3, price: [0.58, 1.4] },
  { noun: "Bubble Wrap Roll", category: "Packaging", adjectives: ["Small-Bubble", "Large-Bubble", "Perforated", "Anti-Static"], sizes: ["12 in x 175 ft", "24 in x 250 ft", "48 in x 125 ft"], caseFactors: [6], eachKg: 1.6, price: [14.5, 27.0] },
  { noun: "Poly Mailer", category: "Packaging", adjectives: ["Self-Seal", "Bubble-Lined", "Recycled", "Opaque"], sizes: ["10 x 13 in", "12 x 15.5 in", "14.5 x 19 in"], caseFactors: [12, 24], eachKg: 0.03, price: [0.14, 0.42] },
  { noun: "Void Fill Paper", category: "Packaging", adjectives: ["Kraft", "Recycled", "Crinkle"], sizes: ["15 in x 1000 ft", "24 in x 1000 ft", "30 in x 720 ft"], caseFactors: [6], eachKg: 6.5, price: [24.0, 39.0] },
  { noun: "Strapping Coil", category: "Packaging", adjectives: ["Polypropylene", "Polyester", "Embossed"], sizes: ["1/2 in x 7200 ft", "5/8 in x 6000 ft", "3/4 in x 4000 ft"], caseFactors: [6], eachKg: 9.5, price: [31.0, 58.0] },
  { noun: "Shipping Label", category: "Packaging", adjectives: ["Direct Thermal", "Thermal Transfer", "Perforated"], sizes: ["4 x 6 in, Roll of 250", "4 x 6 in, Fanfold 500", "4 x 4 in, Roll of 500"], caseFactors: [12, 24], eachKg: 0.45, price: [3.9, 7.8] },
  // Industrial / MRO
  { noun: "Shop Towel", category: "Industrial", adjectives: ["Red", "Blue", "Lint-Free"], sizes: ["12 x 13 in, Box of 200", "13 x 15 in, Roll of 55", "9 x 16 in, Box of 150"], caseFactors: [6, 12], eachKg: 1.1, price: [8.9, 16.5] },
  { noun: "Absorbent Pad", category: "Industrial", adjectives: ["Oil-Only", "Universal", "Heavy-Weight"], sizes: ["15 x 19 in, Pack of 100", "16 x 20 in, Pack of 100", "15 x 19 in, Pack of 200"], caseFactors: [6], eachKg: 4.8, price: [32.0, 61.0] },
  { noun: "Cable Tie", category: "Industrial", adjectives: ["Nylon", "UV-Resistant", "Heavy-Duty"], sizes: ["8 in, Bag of 100", "11 in, Bag of 100", "14 in, Bag of 100"], caseFactors: [12, 24], eachKg: 0.2, price: [2.4, 5.9] },
  { noun: "Degreaser", category: "Industrial", adjectives: ["Citrus", "Solvent-Free", "Industrial-Strength"], sizes: ["20 oz Aerosol", "1 Gal", "5 Gal Pail"], caseFactors: [6, 12], eachKg: 0.7, price: [5.8, 11.5] },
  { noun: "Duct Tape", category: "Industrial", adjectives: ["Silver", "Black", "Heavy-Duty", "Contractor-Grade"], sizes: ["2 in x 60 yd", "3 in x 60 yd"], caseFactors: [12, 24], eachKg: 0.4, price: [4.2, 8.9] },
  { noun: "LED Tube Lamp", category: "Industrial", adjectives: ["Ballast-Bypass", "Plug-and-Play", "Dual-Mode"], sizes: ["2 ft, 9W, 4000K", "4 ft, 15W, 4000K", "4 ft, 18W, 5000K"], caseFactors: [12, 24], eachKg: 0.3, price: [4.9, 9.8] },
  { noun: "Spray Lubricant", category: "Industrial", adjectives: ["Silicone", "Penetrating", "White Lithium"], sizes: ["11 oz Aerosol", "16 oz Aerosol", "1 Gal"], caseFactors: [6, 12], eachKg: 0.4, price: [4.6, 8.4] },
  // Safety
  { noun: "Nitrile Glove", category: "Safety", adjectives: ["Powder-Free", "Exam-Grade", "8 mil Industrial", "Textured-Grip"], sizes: ["Medium, Box of 100", "Large, Box of 100", "X-Large, Box of 90"], caseFactors: [6, 12], eachKg: 0.6, price: [7.4, 14.9] },
  { noun: "Safety Glasses", category: "Safety", adjectives: ["Anti-Fog", "Wraparound", "Over-the-Glass"], sizes: ["Clear Lens", "Smoke Lens", "Indoor/Outdoor Lens"], caseFactors: [12, 24], eachKg: 0.05, price: [1.6, 4.4] },
  { noun: "Ear Plug", category: "Safety", adjectives: ["Foam", "Reusable", "NRR 32"], sizes: ["Uncorded, Box of 200 Pairs", "Corded, Box of 100 Pairs"], caseFactors: [6, 12], eachKg: 0.35, price: [18.0, 34.0] },
  { noun: "Hi-Vis Vest", category: "Safety", adjectives: ["ANSI Class 2", "Mesh", "Breakaway"], sizes: ["Medium", "Large", "X-Large", "2X-Large"], caseFactors: [12, 24], eachKg: 0.15, price: [3.4, 7.9] },
  { noun: "Respirator Mask", category: "Safety", adjectives: ["N95", "N95 Valved", "P100"], sizes: ["Box of 20", "Box of 10", "Box of 5"], caseFactors: [6, 12], eachKg: 0.25, price: [12.5, 29.0] },
  { noun: "Work Glove", category: "Safety", adjectives: ["Cut-Resistant A4", "Nitrile-Dipped", "Leather Palm"], sizes: ["Medium, Pair", "Large, Pair", "X-Large, Pair"], caseFactors: [12, 24], eachKg: 0.1, price: [2.3, 6.8] },
  // Breakroom / food service
  { noun: "Hot Cup", category: "Breakroom", adjectives: ["Paper", "Double-Wall", "Compostable"], sizes: ["8 oz, Sleeve of 50", "12 oz, Sleeve of 50", "16 oz, Sleeve of 50"], caseFactors: [12, 24], eachKg: 0.5, price: [3.1, 5.9] },
  { noun: "Deli Container", category: "Breakroom", adjectives: ["Clear", "Microwavable", "Tamper-Evident"], sizes: ["8 oz, Pack of 50", "16 oz, Pack of 50", "32 oz, Pack of 50"], caseFactors: [6, 12], eachKg: 0.7, price: [6.2, 11.8] },
  { noun: "Napkin", category: "Breakroom", adjectives: ["Dinner", "Beverage", "Recycled Kraft"], sizes: ["Pack of 500", "Pack of 1000", "Interfold, Pack of 375"], caseFactors: [6, 12], eachKg: 1.2, price: [4.8, 9.4] },
];

export interface City {
  city: string;
  state: string;
  zip3: string;
}

export const EAST_CITIES: readonly City[] = [
  { city: "Atlanta", state: "GA", zip3: "303" },
  { city: "Marietta", state: "GA", zip3: "300" },
  { city: "Savannah", state: "GA", zip3: "314" },
  { city: "Charlotte", state: "NC", zip3: "282" },
  { city: "Raleigh", state: "NC", zip3: "276" },
  { city: "Greensboro", state: "NC", zip3: "274" },
  { city: "Columbia", state: "SC", zip3: "292" },
  { city: "Greenville", state: "SC", zip3: "296" },
  { city: "Nashville", state: "TN", zip3: "372" },
  { city: "Chattanooga", state: "TN", zip3: "374" },
  { city: "Birmingham", state: "AL", zip3: "352" },
  { city: "Jacksonville", state: "FL", zip3: "322" },
  { city: "Orlando", state: "FL", zip3: "328" },
  { city: "Richmond", state: "VA", zip3: "232" },
];

export const WEST_CITIES: readonly City[] = [
  { city: "Reno", state: "NV", zip3: "895" },
  { city: "Las Vegas", state: "NV", zip3: "891" },
  { city: "Sacramento", state: "CA", zip3: "958" },
  { city: "Fresno", state: "CA", zip3: "937" },
  { city: "Phoenix", state: "AZ", zip3: "850" },
  { city: "Tucson", state: "AZ", zip3: "857" },
  { city: "Salt Lake City", state: "UT", zip3: "841" },
  { city: "Boise", state: "ID", zip3: "837" },
  { city: "Portland", state: "OR", zip3: "972" },
  { city: "Spokane", state: "WA", zip3: "992" },
];

/** Combined state and local sales tax rates, rounded (demo values). */
export const TAX_RATES: Record<string, string> = {
  GA: "0.0700",
  NC: "0.0725",
  SC: "0.0800",
  TN: "0.0925",
  AL: "0.0900",
  FL: "0.0650",
  VA: "0.0530",
  NV: "0.0825",
  CA: "0.0875",
  AZ: "0.0860",
  UT: "0.0725",
  ID: "0.0600",
  OR: "0.0000",
  WA: "0.0890",
};

export const STREETS: readonly string[] = [
  "Industrial Blvd", "Commerce Pkwy", "Distribution Dr", "Enterprise Way", "Airport Rd", "Market St",
  "Technology Dr", "Logistics Ct", "Main St", "Oak St", "Park Ave", "Riverside Dr", "Gateway Blvd", "Mill Rd",
];

export const EAST_PLACES: readonly string[] = [
  "Peachtree", "Blue Ridge", "Piedmont", "Magnolia", "Tidewater", "Cumberland", "Chattahoochee", "Palmetto",
  "Appalachian", "Carolina", "Gulf Coast", "Lowcountry", "Smoky Mountain", "Riverbend", "Southern Pine", "Dogwood",
];

export const WEST_PLACES: readonly string[] = [
  "Sierra", "Cascade", "Mojave", "Tahoe", "Wasatch", "Sonoran", "Pacific Crest", "Great Basin", "Redwood",
  "Columbia River", "Snake River", "Truckee", "High Desert", "Silver State", "Golden Valley", "Canyon",
];

export const BUSINESS_KINDS: readonly string[] = [
  "Janitorial Supply", "Facility Services", "Building Maintenance", "Hardware & Supply", "Contractors",
  "Packaging Co.", "Restaurant Supply", "Property Management", "Industrial Supply", "Cleaning Services",
  "Office Products", "Hospitality Group", "Grocers", "Fulfillment", "Mechanical", "School Supply",
];

export const LEGAL_SUFFIXES: readonly string[] = ["Inc.", "LLC", "Co.", "Corp.", ""];

export const SITE_LABELS: readonly string[] = [
  "Main Warehouse", "Receiving Dock", "North Branch", "South Branch", "Store #12", "Store #27", "Store #41",
  "Distribution Center", "Service Center", "Head Office",
];
